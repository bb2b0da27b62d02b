using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// Builds the <see cref="SchemaShape"/> SAGE promises before training. ML.NET keeps the constructor of
/// <see cref="SchemaShape.Column"/> internal, so the shape comes from a stock CustomMapping estimator
/// that declares the same output columns: public API only, no reflection.
/// </summary>
internal static class OutputColumns
{
    public static SchemaShape Append(TransformsCatalog catalog, SchemaShape inputSchema, SageOptions options)
    {
        var output = SchemaDefinition.Create(options.Fusion is SageFusion.ModalityReliability or SageFusion.GatedMultimodalUnit
            ? typeof(ModalityOutputs)
            : typeof(Outputs));
        var variableVector = new VectorDataViewType(NumberDataViewType.Single);
        output[nameof(Outputs.Valence)].ColumnName = options.PredictedValenceColumnName;
        output[nameof(Outputs.Arousal)].ColumnName = options.PredictedArousalColumnName;
        output[nameof(Outputs.Reliability)].ColumnName = options.ReliabilityColumnName;
        if (output.Count > 3)
        {
            output[nameof(ModalityOutputs.VisualReliability)].ColumnName = options.VisualReliabilityColumnName;
            output[nameof(ModalityOutputs.AudioReliability)].ColumnName = options.AudioReliabilityColumnName;
        }
        foreach (var column in output)
        {
            column.ColumnType = variableVector;
        }
        return output.Count > 3
            ? catalog.CustomMapping<NoInputs, ModalityOutputs>((_, _) => { }, contractName: null, outputSchemaDefinition: output).GetOutputSchema(inputSchema)
            : catalog.CustomMapping<NoInputs, Outputs>((_, _) => { }, contractName: null, outputSchemaDefinition: output).GetOutputSchema(inputSchema);
    }

    private sealed class NoInputs
    {
    }

    private sealed class Outputs
    {
        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];

        public float[] Reliability { get; set; } = [];
    }

    /// <summary>The outputs of the variants with a weight per modality; one class, since ML.NET lists a base class's members last.</summary>
    private sealed class ModalityOutputs
    {
        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];

        public float[] Reliability { get; set; } = [];

        public float[] VisualReliability { get; set; } = [];

        public float[] AudioReliability { get; set; } = [];
    }
}

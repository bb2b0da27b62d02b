using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// Builds the <see cref="SchemaShape"/> SAGE promises before training. ML.NET keeps the constructor of
/// <see cref="SchemaShape.Column"/> internal, so the shape comes from a stock CustomMapping estimator
/// that declares the same three output columns: public API only, no reflection.
/// </summary>
internal static class OutputColumns
{
    public static SchemaShape Append(TransformsCatalog catalog, SchemaShape inputSchema, SageOptions options)
    {
        var output = SchemaDefinition.Create(typeof(Outputs));
        var variableVector = new VectorDataViewType(NumberDataViewType.Single);
        output[nameof(Outputs.Valence)].ColumnName = options.PredictedValenceColumnName;
        output[nameof(Outputs.Arousal)].ColumnName = options.PredictedArousalColumnName;
        output[nameof(Outputs.Reliability)].ColumnName = options.ReliabilityColumnName;
        foreach (var column in output)
        {
            column.ColumnType = variableVector;
        }
        var shapeOnly = catalog.CustomMapping<NoInputs, Outputs>((_, _) => { }, contractName: null, outputSchemaDefinition: output);
        return shapeOnly.GetOutputSchema(inputSchema);
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
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Builds ML.NET's stock custom-mapping estimator around a <see cref="FaceFeaturizer"/>, with columns renamed to the options' names.</summary>
internal static class FaceFeaturizerMapping
{
    /// <summary>Returns the mapping; <c>featurize</c> maps a folder and T to the features and FaceFound, like <see cref="FaceFeaturizer.Featurize"/>, and is called from several threads.</summary>
    public static IEstimator<ITransformer> Create(TransformsCatalog catalog, SageFaceFeaturizerOptions options, Func<string, int, (float[] Features, float[] FaceFound)> featurize)
    {
        var input = SchemaDefinition.Create(typeof(Input));
        input[nameof(Input.FaceFolder)].ColumnName = options.FaceFolderColumnName;
        input[nameof(Input.FrameCount)].ColumnName = options.FrameCountColumnName;
        var output = SchemaDefinition.Create(typeof(Output));
        var variableVector = new VectorDataViewType(NumberDataViewType.Single);
        output[nameof(Output.Features)].ColumnName = options.OutputColumnName;
        output[nameof(Output.FaceFound)].ColumnName = options.FaceFoundColumnName;
        foreach (var column in output)
        {
            column.ColumnType = variableVector;
        }
        // No contract name: the mapping is never saved (SageFaceFeaturizerTransformer refuses to be saved).
        return catalog.CustomMapping<Input, Output>(
            (row, result) => (result.Features, result.FaceFound) = featurize(row.FaceFolder, row.FrameCount),
            contractName: null,
            input,
            output);
    }

    /// <summary>The columns the mapping reads; ML.NET fills the fields by the schema definition's names.</summary>
    public sealed class Input
    {
        public string FaceFolder = "";

        public int FrameCount;
    }

    /// <summary>The columns the mapping writes.</summary>
    public sealed class Output
    {
        public float[] Features = [];

        public float[] FaceFound = [];
    }
}

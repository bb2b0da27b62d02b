using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Computes the face featurizer's output shape with ML.NET's stock custom-mapping estimator (whose schema-shape code is
/// public, unlike SchemaShape's constructor); rows are featurised by <see cref="VideoFeaturizerMapping"/>, which adds the same columns.
/// </summary>
internal static class FaceFeaturizerMapping
{
    /// <summary>Returns <paramref name="inputShape"/> with the features and FaceFound columns, both variable-length vectors of Single.</summary>
    public static SchemaShape OutputShape(TransformsCatalog catalog, SageFaceFeaturizerOptions options, SchemaShape inputShape)
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
        return catalog.CustomMapping<Input, Output>(static (_, _) => { }, contractName: null, input, output).GetOutputSchema(inputShape);
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

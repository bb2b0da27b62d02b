using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Checks the face featuriser's input columns with ML.NET's wording and builds the output schema it promises.</summary>
internal static class FaceColumns
{
    public static void Check(DataViewSchema schema, SageFaceFeaturizerOptions options)
    {
        Check("face folder", options.FaceFolderColumnName, schema.GetColumnOrNull(options.FaceFolderColumnName)?.Type, TextDataViewType.Instance);
        Check("frame count", options.FrameCountColumnName, schema.GetColumnOrNull(options.FrameCountColumnName)?.Type, NumberDataViewType.Int32);
    }

    public static void Check(SchemaShape shape, SageFaceFeaturizerOptions options)
    {
        Check("face folder", options.FaceFolderColumnName, ScalarType(shape, options.FaceFolderColumnName), TextDataViewType.Instance);
        Check("frame count", options.FrameCountColumnName, ScalarType(shape, options.FrameCountColumnName), NumberDataViewType.Int32);
    }

    /// <summary>Returns the input schema with the features and FaceFound columns appended, as the mapping delivers it.</summary>
    public static DataViewSchema Output(DataViewSchema input, SageFaceFeaturizerOptions options)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single));
        builder.AddColumn(options.FaceFoundColumnName, new VectorDataViewType(NumberDataViewType.Single));
        return builder.ToSchema();
    }

    private static DataViewType? ScalarType(SchemaShape shape, string name)
    {
        var column = shape.LastOrDefault(c => c.Name == name);
        if (column.Name is null)
        {
            return null;
        }
        // A vector of the right item type is still the wrong type; report it as ML.NET would.
        return column.Kind == SchemaShape.Column.VectorKind.Scalar ? column.ItemType : new VectorDataViewType((PrimitiveDataViewType)column.ItemType);
    }

    private static void Check(string role, string name, DataViewType? actual, DataViewType expected)
    {
        if (actual is null)
        {
            throw new ArgumentOutOfRangeException("inputSchema", $"Could not find {role} column '{name}'");
        }
        if (!actual.Equals(expected))
        {
            throw new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for {role} column '{name}': expected {expected}, got {actual}");
        }
    }
}

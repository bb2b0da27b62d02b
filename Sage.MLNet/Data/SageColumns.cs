using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>Checks that the columns SAGE reads exist and hold Single vectors, with ML.NET's wording.</summary>
internal static class SageColumns
{
    /// <summary>A text column that, when present, names videos in error messages.</summary>
    public const string VideoId = "VideoId";

    public static void CheckFeatures(DataViewSchema schema, SageOptions options)
    {
        CheckVector(schema, "visual features", options.VisualFeaturesColumnName);
        CheckVector(schema, "audio features", options.AudioFeaturesColumnName);
    }

    public static void CheckLabels(DataViewSchema schema, SageOptions options)
    {
        CheckVector(schema, "valence", options.ValenceColumnName);
        CheckVector(schema, "arousal", options.ArousalColumnName);
    }

    /// <summary>Checks the column of <see cref="SageOptions.FaceFoundColumnName"/>, when it is set.</summary>
    public static void CheckFaceFound(DataViewSchema schema, SageOptions options)
    {
        if (options.FaceFoundColumnName is not null)
        {
            CheckVector(schema, "face-found", options.FaceFoundColumnName);
        }
    }

    public static void CheckFeatures(SchemaShape shape, SageOptions options)
    {
        CheckVector(shape, "visual features", options.VisualFeaturesColumnName);
        CheckVector(shape, "audio features", options.AudioFeaturesColumnName);
    }

    public static void CheckVector(DataViewSchema schema, string role, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"Could not find {role} column '{name}'");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType itemType } || itemType != NumberDataViewType.Single)
        {
            throw Mismatch(role, name, column.Type.ToString() ?? column.Type.GetType().Name);
        }
    }

    private static void CheckVector(SchemaShape shape, string role, string name)
    {
        var column = shape.LastOrDefault(c => c.Name == name);
        if (column.Name is null)
        {
            throw new ArgumentOutOfRangeException("inputSchema", $"Could not find {role} column '{name}'");
        }
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
        {
            var kind = column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "vector of ";
            throw Mismatch(role, name, kind + column.ItemType);
        }
    }

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string actual) =>
        new("inputSchema", $"Schema mismatch for {role} column '{name}': expected vector of Single, got {actual}");
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>The columns SAGE reads, checked through <see cref="ColumnCheck"/>: each exists and holds a vector of Single.</summary>
internal static class SageColumns
{
    /// <summary>A text column that, when present, names videos in error messages.</summary>
    public const string VideoId = "VideoId";

    public static void CheckFeatures(DataViewSchema schema, SageOptions options)
    {
        ColumnCheck.Vector(schema, "visual features", options.VisualFeaturesColumnName);
        ColumnCheck.Vector(schema, "audio features", options.AudioFeaturesColumnName);
    }

    public static void CheckLabels(DataViewSchema schema, SageOptions options)
    {
        ColumnCheck.Vector(schema, "valence", options.ValenceColumnName);
        ColumnCheck.Vector(schema, "arousal", options.ArousalColumnName);
    }

    /// <summary>Checks the column of <see cref="SageOptions.FaceFoundColumnName"/>, when it is set.</summary>
    public static void CheckFaceFound(DataViewSchema schema, SageOptions options)
    {
        if (options.FaceFoundColumnName is not null)
        {
            ColumnCheck.Vector(schema, "face-found", options.FaceFoundColumnName);
        }
    }

    public static void CheckFeatures(SchemaShape shape, SageOptions options)
    {
        ColumnCheck.Vector(shape, "visual features", options.VisualFeaturesColumnName);
        ColumnCheck.Vector(shape, "audio features", options.AudioFeaturesColumnName);
    }
}

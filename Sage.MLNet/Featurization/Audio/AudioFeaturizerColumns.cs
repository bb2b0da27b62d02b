using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>Checks the video-file and frame-count columns that audio featurisation reads, with ML.NET's wording.</summary>
internal static class AudioFeaturizerColumns
{
    public static void Check(DataViewSchema schema, SageAudioFeaturizerOptions options)
    {
        Check("video file", options.VideoFileColumnName, TextDataViewType.Instance, schema.GetColumnOrNull(options.VideoFileColumnName)?.Type);
        Check("frame count", options.FrameCountColumnName, NumberDataViewType.Int32, schema.GetColumnOrNull(options.FrameCountColumnName)?.Type);
    }

    public static void Check(SchemaShape shape, SageAudioFeaturizerOptions options)
    {
        Check("video file", options.VideoFileColumnName, TextDataViewType.Instance, ScalarType(shape, options.VideoFileColumnName));
        Check("frame count", options.FrameCountColumnName, NumberDataViewType.Int32, ScalarType(shape, options.FrameCountColumnName));
    }

    /// <summary>Returns the column's item type, or a stand-in that fails the check when the column is a vector.</summary>
    private static DataViewType? ScalarType(SchemaShape shape, string name)
    {
        var column = shape.LastOrDefault(c => c.Name == name);
        if (column.Name is null)
        {
            return null;
        }
        return column.Kind == SchemaShape.Column.VectorKind.Scalar ? column.ItemType : new VectorDataViewType((PrimitiveDataViewType)column.ItemType);
    }

    private static void Check(string role, string name, DataViewType expected, DataViewType? actual)
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

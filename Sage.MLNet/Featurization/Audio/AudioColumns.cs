using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>The columns audio featurisation reads, checked through <see cref="ColumnCheck"/>: a text video file and an Int32 frame count.</summary>
internal static class AudioColumns
{
    public static void Check(DataViewSchema schema, SageAudioFeaturizerOptions options)
    {
        ColumnCheck.Scalar(schema, "video file", options.VideoFileColumnName, TextDataViewType.Instance);
        ColumnCheck.Scalar(schema, "frame count", options.FrameCountColumnName, NumberDataViewType.Int32);
    }

    public static void Check(SchemaShape shape, SageAudioFeaturizerOptions options)
    {
        ColumnCheck.Scalar(shape, "video file", options.VideoFileColumnName, TextDataViewType.Instance);
        ColumnCheck.Scalar(shape, "frame count", options.FrameCountColumnName, NumberDataViewType.Int32);
    }
}

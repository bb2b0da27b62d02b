using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>
/// Computes the audio featurizer's output shape with ML.NET's stock CustomMapping estimator (whose schema-shape code is
/// public, unlike SchemaShape's constructor); rows are featurised by <see cref="VideoFeaturizerMapping"/>, which adds the same column.
/// </summary>
internal static class AudioFeaturizerMapping
{
    /// <summary>Returns <paramref name="inputShape"/> with the features column, a variable-length vector of Single.</summary>
    public static SchemaShape OutputShape(TransformsCatalog catalog, SageAudioFeaturizerOptions options, SchemaShape inputShape)
    {
        var input = SchemaDefinition.Create(typeof(VideoRow));
        input[nameof(VideoRow.VideoFile)].ColumnName = options.VideoFileColumnName;
        input[nameof(VideoRow.FrameCount)].ColumnName = options.FrameCountColumnName;
        var output = SchemaDefinition.Create(typeof(FeaturesRow));
        output[nameof(FeaturesRow.Features)].ColumnName = options.OutputColumnName;
        return catalog.CustomMapping<VideoRow, FeaturesRow>(static (_, _) => { }, contractName: null, input, output).GetOutputSchema(inputShape);
    }

    public sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";

        public int FrameCount { get; set; }
    }

    public sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>
/// Builds ML.NET's stock CustomMapping estimator that calls a featuriser once per row, with schema
/// definitions that map its row classes onto the columns named in the options.
/// </summary>
internal static class AudioFeaturizerMapping
{
    public static IEstimator<ITransformer> Create(TransformsCatalog catalog, SageAudioFeaturizerOptions options, Func<string, int, float[]> featurize)
    {
        var input = SchemaDefinition.Create(typeof(VideoRow));
        input[nameof(VideoRow.VideoFile)].ColumnName = options.VideoFileColumnName;
        input[nameof(VideoRow.FrameCount)].ColumnName = options.FrameCountColumnName;
        var output = SchemaDefinition.Create(typeof(FeaturesRow));
        output[nameof(FeaturesRow.Features)].ColumnName = options.OutputColumnName;
        // ML.NET calls the action from several cursor threads at once, so featurize must be thread-safe.
        return catalog.CustomMapping<VideoRow, FeaturesRow>(
            (row, features) => features.Features = featurize(row.VideoFile, row.FrameCount),
            contractName: null, input, output);
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

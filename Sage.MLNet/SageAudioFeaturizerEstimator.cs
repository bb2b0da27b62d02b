using Microsoft.ML;
using Sage.MLNet.Data;
using Sage.MLNet.Featurization.Audio;
using Sage.MLNet.Featurization.Cache;

namespace Sage.MLNet;

/// <summary>Adds per-frame audio features, computed from each row's video file, to the data. Made by <see cref="AudioFeaturizationCatalog.FeaturizeAudio(TransformsCatalog, SageAudioFeaturizerOptions)"/>.</summary>
/// <remarks>Nothing is learnt: <see cref="Fit(IDataView)"/> checks the schema, finds ffmpeg and opens the encoder.</remarks>
public sealed class SageAudioFeaturizerEstimator : IEstimator<SageAudioFeaturizerTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly SageAudioFeaturizerOptions _options;

    internal SageAudioFeaturizerEstimator(TransformsCatalog catalog, SageAudioFeaturizerOptions options)
    {
        _catalog = catalog;
        _options = options;
    }

    /// <summary>Returns a transformer that featurises the audio of each row's video; dispose it when done.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The video-file column is missing or not text, or the frame-count column is missing or not Int32.</exception>
    /// <exception cref="FileNotFoundException">ffmpeg or ffprobe cannot be found; the message says how to install it.</exception>
    /// <exception cref="InvalidDataException">The ONNX encoder's input or output has an unexpected shape.</exception>
    public SageAudioFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        AudioColumns.Check(input.Schema, _options);
        var featurizer = AudioFeaturizer.Create(_options);
        try
        {
            // The settings hash reads an ONNX encoder's file once here, not once per video.
            var folder = _options.CacheFolder is { } cacheFolder ? FeatureCacheFolder.Open(cacheFolder, FeaturizerSettings.Audio(_options)) : null;
            var cached = new CachedFeaturizer(folder, VideoKeys.ForVideoFile,
                (video, frameCount) => new VideoFeatures(frameCount, featurizer.FeatureSize, featurizer.Featurize(video, frameCount), 0, []),
                featurizer.FeatureSize, extraChannels: 0);
            var mapping = new VideoFeaturizerMapping(_options.VideoFileColumnName, _options.FrameCountColumnName, [_options.OutputColumnName],
                (video, frameCount) => [cached.Featurize(video, frameCount).Values],
                // A filled cache is read a clip at a time in training.
                (video, frameCount) => cached.TryOpen(video, frameCount) is { } stored ? new StoredOutputs(stored, []) : null);
            return new SageAudioFeaturizerTransformer(mapping, featurizer, cached, _options);
        }
        catch
        {
            featurizer.Dispose();
            throw;
        }
    }

    /// <summary>Returns the input schema plus the audio features column, a variable-length vector of Single.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The video-file column is missing or not text, or the frame-count column is missing or not Int32.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        AudioColumns.Check(inputSchema, _options);
        // The stock CustomMapping estimator gives the same columns as VideoFeaturizerMapping, and computes the shape without calling its action.
        return AudioFeaturizerMapping.OutputShape(_catalog, _options, inputSchema);
    }
}

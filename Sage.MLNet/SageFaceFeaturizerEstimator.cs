using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet;

/// <summary>Estimator that featurises each video's face-crop folder into per-frame visual features; nothing is learned.</summary>
/// <remarks>Create it with <see cref="FaceFeaturizationCatalog.FeaturizeFaces(TransformsCatalog, SageFaceFeaturizerOptions)"/>.</remarks>
public sealed class SageFaceFeaturizerEstimator : IEstimator<SageFaceFeaturizerTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly SageFaceFeaturizerOptions _options;

    internal SageFaceFeaturizerEstimator(TransformsCatalog catalog, SageFaceFeaturizerOptions options)
    {
        _catalog = catalog;
        _options = options;
    }

    /// <summary>Checks the input columns and opens the image encoder (and the cache folder); the data itself is not read.</summary>
    /// <param name="input">Rows with the face-folder and frame-count columns.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or mistyped; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The encoder model is missing; the message names the path.</exception>
    public SageFaceFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FaceColumns.Check(input.Schema, _options);
        var featurizer = FaceFeaturizer.Create(_options);
        try
        {
            // The settings hash reads the encoder file once here, not once per video.
            var folder = _options.CacheFolder is { } cacheFolder ? FeatureCacheFolder.Open(cacheFolder, FeaturizerSettings.Faces(_options)) : null;
            var cached = new CachedFeaturizer(folder, VideoKeys.ForFaceFolder,
                (faces, frameCount) =>
                {
                    var (features, faceFound) = featurizer.Featurize(faces, frameCount);
                    return new VideoFeatures(frameCount, featurizer.FeatureSize, features, 1, faceFound);
                },
                featurizer.FeatureSize, extraChannels: 1);
            var mapping = new VideoFeaturizerMapping(_options.FaceFolderColumnName, _options.FrameCountColumnName,
                [_options.OutputColumnName, _options.FaceFoundColumnName], (faces, frameCount) =>
                {
                    var features = cached.Featurize(faces, frameCount);
                    return [features.Values, features.Extra];
                },
                // A filled cache is read a clip at a time in training; FaceFound, the file's extra channel, comes along whole.
                (faces, frameCount) => cached.TryOpen(faces, frameCount) is { } stored ? new StoredOutputs(stored, [stored.Extra]) : null);
            return new SageFaceFeaturizerTransformer(mapping, featurizer, cached, _options);
        }
        catch
        {
            featurizer.Dispose();
            throw;
        }
    }

    /// <summary>Returns the input columns plus the features and FaceFound columns, both variable-length vectors of Single.</summary>
    /// <param name="inputSchema">The shape of the rows to featurise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or mistyped; the message names it.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FaceColumns.Check(inputSchema, _options);
        // The stock CustomMapping estimator gives the same columns as VideoFeaturizerMapping, and computes the shape without calling its action.
        return FaceFeaturizerMapping.OutputShape(_catalog, _options, inputSchema);
    }
}

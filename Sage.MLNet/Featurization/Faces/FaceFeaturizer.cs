namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Featurises one video's face-crop folder: every crop through the encoder in batches, then one row of Dv values per
/// frame, frames without a crop taking the nearest earlier crop's features (the nearest later one before the first face).
/// </summary>
/// <remarks>Safe to call from several threads at once, as ML.NET's cursors do.</remarks>
internal sealed class FaceFeaturizer : IDisposable
{
    private readonly FaceEncoder _encoder;
    private readonly FaceImageNormalization _normalization;
    private readonly int _batchSize;
    private readonly bool _emptyFolderIsError;
    private readonly FaceAugmentation? _augmentation;

    public FaceFeaturizer(FaceEncoder encoder, FaceImageNormalization normalization, int batchSize, bool emptyFolderIsError, FaceAugmentation? augmentation)
    {
        _augmentation = augmentation;
        _encoder = encoder;
        _normalization = normalization;
        _batchSize = batchSize;
        _emptyFolderIsError = emptyFolderIsError;
    }

    /// <summary>Dv: values per frame.</summary>
    public int FeatureSize => _encoder.FeatureSize;

    /// <summary>Opens the encoder the options name, or the packaged ResNet18.</summary>
    public static FaceFeaturizer Create(SageFaceFeaturizerOptions options)
    {
        var (model, source, normalization) = options.EncoderModelPath is { } path
            ? (File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException($"Image encoder '{path}' does not exist", path),
               path,
               FaceImageNormalization.PerChannel(options.ImageWidth, options.ImageHeight, options.EncoderChannelOrder, options.EncoderPixelScale,
                   InPlaneOrder(options.EncoderChannelMeans, options.EncoderChannelOrder), InPlaneOrder(options.EncoderChannelStds, options.EncoderChannelOrder)))
            : (PackagedResNet18.LoadBatchedModel(), PackagedResNet18.PackageName, PackagedResNet18.Normalization(options.ImageWidth, options.ImageHeight));
        var encoder = FaceEncoder.Open(model, source, options.EncoderOutputName, options.ImageWidth, options.ImageHeight, options.GpuDeviceId, options.FallbackToCpu);
        var augmentation = options.TrainingAugmentation is { } settings ? new FaceAugmentation(settings) : null;
        return new FaceFeaturizer(encoder, normalization, options.BatchSize, options.EmptyFolderIsError, augmentation);
    }

    /// <summary>Returns the features, [T, Dv] frame-major, and per frame 1 where it has a crop and 0 where not.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A crop cannot be decoded, T is negative, or the folder has no crop and that is an error; the message names the video.</exception>
    public (float[] Features, float[] FaceFound) Featurize(string folder, int frameCount)
    {
        var video = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        if (frameCount < 0)
        {
            throw new InvalidDataException($"video '{video}': frame count {frameCount} is negative");
        }
        var crops = FaceCropFrames.List(folder, video, frameCount);
        var found = new float[frameCount];
        var features = new float[frameCount * FeatureSize];
        if (crops.Files.Count == 0)
        {
            if (_emptyFolderIsError && frameCount > 0)
            {
                throw new InvalidDataException(
                    $"video '{video}': face-crop folder '{folder}' has no crop for any of its {frameCount} frames; set EmptyFolderIsError to false to give such videos zero features");
            }
            return (features, found);
        }
        // Each crop's features go straight into its own frame's row; the other frames then copy a crop frame's row. No
        // per-crop array is kept, so a long video holds one T × Dv array, not two.
        Encode(crops.Files, video, crops.Frames, features);
        var sources = crops.SourceOfEachFrame(frameCount);
        for (var frame = 0; frame < frameCount; frame++)
        {
            var source = crops.Frames[sources[frame]];
            if (source != frame)
            {
                features.AsSpan(source * FeatureSize, FeatureSize).CopyTo(features.AsSpan(frame * FeatureSize, FeatureSize));
            }
        }
        foreach (var frame in crops.Frames)
        {
            found[frame] = 1f;
        }
        return (features, found);
    }

    /// <summary>The length of the buffer <see cref="EncodeImage"/> decodes a crop into: 3 × H × W.</summary>
    internal int ImageSize => _normalization.ImageSize;

    /// <summary>Writes the embedding of one encoded crop (JPEG bytes, as the extractor writes them) into <paramref name="features"/>, [Dv].</summary>
    /// <param name="image">The encoded crop.</param>
    /// <param name="video">The video named in errors.</param>
    /// <param name="features">[Dv], written.</param>
    /// <param name="input">A buffer of <see cref="ImageSize"/> floats to decode into, reused by a caller that encodes many crops (a live stream); null allocates one.</param>
    /// <exception cref="InvalidDataException">The bytes are not a readable image; the message names <paramref name="video"/>.</exception>
    internal void EncodeImage(byte[] image, string video, Span<float> features, float[]? input = null)
    {
        input ??= new float[_normalization.ImageSize];
        FaceImageReader.Read(image, video, _normalization, input);
        _encoder.Encode(input, 1, features);
    }

    /// <summary>Returns the embedding of every file, [files, Dv].</summary>
    internal float[] EncodeAll(IReadOnlyList<string> files, string video)
    {
        var features = new float[files.Count * FeatureSize];
        Encode(files, video, Enumerable.Range(0, files.Count).ToArray(), features);
        return features;
    }

    /// <summary>Writes the embedding of <c>files[i]</c> into row <c>rows[i]</c> of <paramref name="features"/>, [rows, Dv].</summary>
    private void Encode(IReadOnlyList<string> files, string video, IReadOnlyList<int> rows, float[] features)
    {
        var imageSize = _normalization.ImageSize;
        var largestBatch = Math.Min(_batchSize, files.Count);
        var batch = new float[largestBatch * imageSize];
        var encoded = new float[largestBatch * FeatureSize];
        for (var start = 0; start < files.Count; start += _batchSize)
        {
            var count = Math.Min(_batchSize, files.Count - start);
            for (var i = 0; i < count; i++)
            {
                FaceImageReader.Read(files[start + i], video, _normalization, batch.AsSpan(i * imageSize, imageSize), _augmentation);
            }
            _encoder.Encode(batch, count, encoded);
            for (var i = 0; i < count; i++)
            {
                encoded.AsSpan(i * FeatureSize, FeatureSize).CopyTo(features.AsSpan(rows[start + i] * FeatureSize, FeatureSize));
            }
        }
    }

    public void Dispose() => _encoder.Dispose();

    /// <summary>Reorders RGB-ordered per-channel values into the encoder's plane order.</summary>
    private static float[] InPlaneOrder(float[] rgb, SageFaceChannelOrder order) =>
        order == SageFaceChannelOrder.Bgr ? [rgb[2], rgb[1], rgb[0]] : [.. rgb];
}

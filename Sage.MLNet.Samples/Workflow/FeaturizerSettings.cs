namespace Sage.MLNet.Samples.Workflow;

/// <summary>Which encoders turn face crops and audio into features, and how images are prepared for the face encoder.</summary>
/// <param name="FaceEncoder">An ONNX image encoder such as ResNet-50; null uses the packaged ResNet18.</param>
/// <param name="FaceEncoderOutput">The face encoder's output that holds the embedding; null takes its first output.</param>
/// <param name="ImageSize">Side of the square image the face encoder takes, in pixels.</param>
/// <param name="ChannelOrder">Plane order the face encoder expects.</param>
/// <param name="PixelScale">Factor applied to 0–255 pixel values before normalisation.</param>
/// <param name="ChannelMeans">Red, green and blue means subtracted after scaling.</param>
/// <param name="ChannelStds">Red, green and blue standard deviations divided by.</param>
/// <param name="AudioEncoder">An ONNX audio encoder such as WavLM-base; null uses log-mel statistics.</param>
internal sealed record FeaturizerSettings(
    FileInfo? FaceEncoder,
    string? FaceEncoderOutput,
    int ImageSize,
    SageFaceChannelOrder ChannelOrder,
    float PixelScale,
    float[] ChannelMeans,
    float[] ChannelStds,
    FileInfo? AudioEncoder)
{
    /// <summary>Gets the library's defaults: the packaged ResNet18 at 112 × 112 and log-mel audio.</summary>
    public static FeaturizerSettings Default { get; } = new(null, null, 112, SageFaceChannelOrder.Rgb, 1f / 255f,
        [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f], null);

    /// <summary>Gets the training-time face augmentation; null (the default) for none, as Validation, Test and serving must have.</summary>
    public SageFaceAugmentation? Augmentation { get; init; }

    /// <summary>Returns the face featurizer's options, caching features in <paramref name="cacheFolder"/>.</summary>
    public SageFaceFeaturizerOptions FaceOptions(string cacheFolder) => new()
    {
        EncoderModelPath = FaceEncoder?.FullName,
        EncoderOutputName = FaceEncoderOutput,
        ImageWidth = ImageSize,
        ImageHeight = ImageSize,
        EncoderChannelOrder = ChannelOrder,
        EncoderPixelScale = PixelScale,
        EncoderChannelMeans = ChannelMeans,
        EncoderChannelStds = ChannelStds,
        TrainingAugmentation = Augmentation,
        CacheFolder = cacheFolder,
    };

    /// <summary>Returns the audio featurizer's options, caching features in <paramref name="cacheFolder"/>.</summary>
    public SageAudioFeaturizerOptions AudioOptions(string cacheFolder) => new()
    {
        EncoderModelPath = AudioEncoder?.FullName,
        CacheFolder = cacheFolder,
    };
}

using Microsoft.ML;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet.Persistence;

/// <summary>
/// Everything that rebuilds a <see cref="SageFaceFeaturizerTransformer"/>: its columns, its encoder (the packaged ResNet18,
/// or an ONNX path as the user gave it) with the SHA-256 of the file(s) it was read from, and every setting that changes its
/// numbers or its speed. Where it runs (GPU) and its cache folder belong to the machine, so they are not kept.
/// </summary>
internal sealed record FaceFeaturizerRecord(
    string OutputColumnName,
    string FaceFoundColumnName,
    string FaceFolderColumnName,
    string FrameCountColumnName,
    string Encoder,
    string? EncoderModelPath,
    string EncoderSha256,
    string? PreprocessSha256,
    string? EncoderOutputName,
    int ImageWidth,
    int ImageHeight,
    SageFaceChannelOrder EncoderChannelOrder,
    float EncoderPixelScale,
    float[] EncoderChannelMeans,
    float[] EncoderChannelStds,
    int BatchSize,
    bool EmptyFolderIsError,
    int FeatureSize)
{
    public const string PackagedEncoder = "packaged ResNet18";
    public const string OnnxEncoder = "onnx";

    /// <summary>Describes a fitted face featurizer; hashes its encoder file as it is now.</summary>
    public static FaceFeaturizerRecord From(SageFaceFeaturizerTransformer faces)
    {
        var o = faces.Options;
        var packaged = o.EncoderModelPath is null;
        return new FaceFeaturizerRecord(
            o.OutputColumnName, o.FaceFoundColumnName, o.FaceFolderColumnName, o.FrameCountColumnName,
            packaged ? PackagedEncoder : OnnxEncoder,
            o.EncoderModelPath,
            EncoderFile.Sha256(o.EncoderModelPath ?? PackagedResNet18.ModelPath),
            packaged ? EncoderFile.Sha256(PackagedResNet18.PreprocessPath) : null,
            o.EncoderOutputName, o.ImageWidth, o.ImageHeight, o.EncoderChannelOrder, o.EncoderPixelScale,
            [.. o.EncoderChannelMeans], [.. o.EncoderChannelStds], o.BatchSize, o.EmptyFolderIsError, faces.FeatureSize);
    }

    /// <summary>Checks the encoder on this machine against the saved hashes and fits the featurizer again.</summary>
    public SageFaceFeaturizerTransformer Rebuild(MLContext mlContext, IDataView schemaOnly, EncoderFile encoders, string? cacheFolder)
    {
        string? encoderPath = null;
        if (Encoder == PackagedEncoder)
        {
            encoders.Check("packaged ResNet18 face encoder", PackagedResNet18.ModelPath, EncoderSha256);
            encoders.Check("packaged ResNet18 preprocessing", PackagedResNet18.PreprocessPath,
                PreprocessSha256 ?? throw encoders.Invalid("the packaged face encoder has no preprocessSha256"));
        }
        else if (Encoder == OnnxEncoder)
        {
            encoderPath = encoders.Resolve("face encoder", EncoderModelPath ?? throw encoders.Invalid("the ONNX face encoder has no encoderModelPath"), EncoderSha256);
        }
        else
        {
            throw encoders.Invalid($"the face encoder '{Encoder}' is neither '{PackagedEncoder}' nor '{OnnxEncoder}'");
        }
        var options = new SageFaceFeaturizerOptions
        {
            OutputColumnName = OutputColumnName,
            FaceFoundColumnName = FaceFoundColumnName,
            FaceFolderColumnName = FaceFolderColumnName,
            FrameCountColumnName = FrameCountColumnName,
            EncoderModelPath = encoderPath,
            EncoderOutputName = EncoderOutputName,
            ImageWidth = ImageWidth,
            ImageHeight = ImageHeight,
            EncoderChannelOrder = EncoderChannelOrder,
            EncoderPixelScale = EncoderPixelScale,
            EncoderChannelMeans = EncoderChannelMeans,
            EncoderChannelStds = EncoderChannelStds,
            BatchSize = BatchSize,
            EmptyFolderIsError = EmptyFolderIsError,
            GpuDeviceId = mlContext.GpuDeviceId,
            FallbackToCpu = mlContext.FallbackToCpu,
            CacheFolder = cacheFolder,
        };
        var estimator = encoders.Guard(() => mlContext.Transforms.FeaturizeFaces(options));
        var faces = estimator.Fit(schemaOnly);
        if (faces.FeatureSize != FeatureSize)
        {
            faces.Dispose();
            throw encoders.Invalid($"the face encoder gives {faces.FeatureSize} features per frame; the model was trained on {FeatureSize}");
        }
        return faces;
    }
}

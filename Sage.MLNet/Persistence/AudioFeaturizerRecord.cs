using Microsoft.ML;

namespace Sage.MLNet.Persistence;

/// <summary>
/// Everything that rebuilds a <see cref="SageAudioFeaturizerTransformer"/>: its columns, its encoder (log-mel with its band
/// count, or an ONNX path as the user gave it with the file's SHA-256) and its missing-audio policy. The ffmpeg folder and
/// the cache folder belong to the machine, so they are not kept.
/// </summary>
internal sealed record AudioFeaturizerRecord(
    string OutputColumnName,
    string VideoFileColumnName,
    string FrameCountColumnName,
    string Encoder,
    string? EncoderModelPath,
    string? EncoderSha256,
    int MelBands,
    SageMissingAudioPolicy MissingAudio,
    int FeatureSize)
{
    public const string LogMelEncoder = "log-mel";
    public const string OnnxEncoder = "onnx";

    /// <summary>Describes a fitted audio featurizer; hashes an ONNX encoder's file as it is now.</summary>
    public static AudioFeaturizerRecord From(SageAudioFeaturizerTransformer audio)
    {
        var o = audio.Options;
        return new AudioFeaturizerRecord(
            o.OutputColumnName, o.VideoFileColumnName, o.FrameCountColumnName,
            o.EncoderModelPath is null ? LogMelEncoder : OnnxEncoder,
            o.EncoderModelPath,
            o.EncoderModelPath is null ? null : EncoderFile.Sha256(o.EncoderModelPath),
            o.MelBands, o.MissingAudio, audio.FeatureSize);
    }

    /// <summary>Checks an ONNX encoder on this machine against the saved hash and fits the featurizer again.</summary>
    public SageAudioFeaturizerTransformer Rebuild(MLContext mlContext, IDataView schemaOnly, EncoderFile encoders, string? cacheFolder, SageMissingAudioPolicy? missingAudio = null)
    {
        string? encoderPath = Encoder switch
        {
            LogMelEncoder => null,
            OnnxEncoder => encoders.Resolve("audio encoder",
                EncoderModelPath ?? throw encoders.Invalid("the ONNX audio encoder has no encoderModelPath"),
                EncoderSha256 ?? throw encoders.Invalid("the ONNX audio encoder has no encoderSha256")),
            _ => throw encoders.Invalid($"the audio encoder '{Encoder}' is neither '{LogMelEncoder}' nor '{OnnxEncoder}'"),
        };
        var options = new SageAudioFeaturizerOptions
        {
            OutputColumnName = OutputColumnName,
            VideoFileColumnName = VideoFileColumnName,
            FrameCountColumnName = FrameCountColumnName,
            EncoderModelPath = encoderPath,
            MelBands = MelBands,
            MissingAudio = missingAudio ?? MissingAudio,
            CacheFolder = cacheFolder,
        };
        var estimator = encoders.Guard(() => mlContext.Transforms.FeaturizeAudio(options));
        var audio = estimator.Fit(schemaOnly);
        if (audio.FeatureSize != FeatureSize)
        {
            audio.Dispose();
            throw encoders.Invalid($"the audio encoder gives {audio.FeatureSize} features per frame; the model was trained on {FeatureSize}");
        }
        return audio;
    }
}

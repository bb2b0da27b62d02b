using System.Text.Json.Nodes;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.IO;
using Sage.MLNet.Media;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>
/// Describes everything that changes a featuriser's numbers, in a fixed order, as the JSON whose hash is the featurizer key.
/// Settings that only change speed or placement (columns, batch size, GPU, ffmpeg's folder) are left out, so a cache
/// filled on GPU nodes serves training on a CPU (the encoders' GPU and CPU results differ only by rounding).
/// </summary>
internal static class FeaturizerSettings
{
    /// <summary>Bump when the library's featurisation changes its numbers (resizing, log-mel framing, alignment to frames).</summary>
    public const int FeaturizerVersion = 1;

    /// <summary>Describes the face featuriser; hashes the encoder's ONNX file(s), so call it once per transformer.</summary>
    public static JsonObject Faces(SageFaceFeaturizerOptions options)
    {
        var settings = Common("faces");
        if (options.EncoderModelPath is { } path)
        {
            settings["encoder"] = "onnx";
            settings["encoderSha256"] = KeyHash.OfFile(path);
            settings["encoderOutput"] = options.EncoderOutputName;
            settings["imageWidth"] = options.ImageWidth;
            settings["imageHeight"] = options.ImageHeight;
            settings["channelOrder"] = options.EncoderChannelOrder.ToString();
            settings["pixelScale"] = options.EncoderPixelScale;
            settings["channelMeansRgb"] = new JsonArray([.. options.EncoderChannelMeans.Select(v => (JsonNode)v)]);
            settings["channelStdsRgb"] = new JsonArray([.. options.EncoderChannelStds.Select(v => (JsonNode)v)]);
        }
        else
        {
            // The packaged model's pixel options are fixed by its preprocessing file, so that file is hashed instead.
            settings["encoder"] = PackagedResNet18.PackageName;
            settings["encoderSha256"] = KeyHash.OfFile(PackagedResNet18.ModelPath);
            settings["preprocessSha256"] = KeyHash.OfFile(PackagedResNet18.PreprocessPath);
            settings["encoderOutput"] = options.EncoderOutputName;
            settings["imageWidth"] = options.ImageWidth;
            settings["imageHeight"] = options.ImageHeight;
        }
        settings["emptyFolderIsError"] = options.EmptyFolderIsError;
        if (options.TrainingAugmentation is { } augmentation)
        {
            settings["augmentation"] = new JsonObject
            {
                ["horizontalFlipProbability"] = augmentation.HorizontalFlipProbability,
                ["minCropScale"] = augmentation.MinCropScale,
                ["seed"] = augmentation.Seed,
            };
        }
        return settings;
    }

    /// <summary>Describes the audio featuriser; hashes an ONNX encoder's file, so call it once per transformer.</summary>
    public static JsonObject Audio(SageAudioFeaturizerOptions options)
    {
        var settings = Common("audio");
        settings["sampleRate"] = DecodedAudio.SampleRate;
        if (options.EncoderModelPath is { } path)
        {
            settings["encoder"] = "onnx";
            settings["encoderSha256"] = KeyHash.OfFile(path);
        }
        else
        {
            settings["encoder"] = "log-mel";
            settings["melBands"] = options.MelBands;
        }
        settings["missingAudio"] = options.MissingAudio.ToString();
        // Variable-rate videos align to each frame's own time (before: t / average rate).
        settings["frameTimes"] = "decoded";
        return settings;
    }

    private static JsonObject Common(string kind) => new()
    {
        ["kind"] = kind,
        ["cacheFormatVersion"] = FeatureCacheFile.FormatVersion,
        ["featurizerVersion"] = FeaturizerVersion,
    };
}

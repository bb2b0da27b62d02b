using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Rejects out-of-range <see cref="SageFaceFeaturizerOptions"/> in the catalog call, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class FaceOptionsCheck
{
    public static void Validate(SageFaceFeaturizerOptions o)
    {
        Positive(o.ImageWidth, nameof(o.ImageWidth));
        Positive(o.ImageHeight, nameof(o.ImageHeight));
        Positive(o.BatchSize, nameof(o.BatchSize));
        Defined(o.EncoderChannelOrder, nameof(o.EncoderChannelOrder));
        Require(float.IsFinite(o.EncoderPixelScale) && o.EncoderPixelScale > 0, o.EncoderPixelScale, nameof(o.EncoderPixelScale), "must be positive");
        Require(o.EncoderChannelMeans is { Length: 3 } m && m.All(float.IsFinite), o.EncoderChannelMeans, nameof(o.EncoderChannelMeans), "must hold three finite values (red, green, blue)");
        Require(o.EncoderChannelStds is { Length: 3 } s && s.All(v => float.IsFinite(v) && v > 0), o.EncoderChannelStds, nameof(o.EncoderChannelStds), "must hold three positive values (red, green, blue)");
        Require(o.GpuDeviceId is null or >= 0, o.GpuDeviceId, nameof(o.GpuDeviceId), "must be null or a device index");
        CacheFolder(o.CacheFolder, nameof(o.CacheFolder));
        Require(o.EncoderModelPath is null || o.EncoderModelPath.Length > 0, o.EncoderModelPath, nameof(o.EncoderModelPath), "must be null (the packaged ResNet18) or a file");
        if (o.TrainingAugmentation is { } a)
        {
            Require(a.HorizontalFlipProbability is >= 0 and <= 1, a.HorizontalFlipProbability,
                $"{nameof(o.TrainingAugmentation)}.{nameof(a.HorizontalFlipProbability)}", "must lie in [0, 1]");
            Require(a.MinCropScale is > 0 and <= 1, a.MinCropScale, $"{nameof(o.TrainingAugmentation)}.{nameof(a.MinCropScale)}", "must lie in (0, 1]");
        }
        ColumnName(o.FaceFolderColumnName, nameof(o.FaceFolderColumnName));
        ColumnName(o.FrameCountColumnName, nameof(o.FrameCountColumnName));
        ColumnName(o.OutputColumnName, nameof(o.OutputColumnName));
        ColumnName(o.FaceFoundColumnName, nameof(o.FaceFoundColumnName));
        Require(o.FaceFoundColumnName != o.OutputColumnName, o.FaceFoundColumnName, nameof(o.FaceFoundColumnName), "must differ from OutputColumnName");
    }
}

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Rejects out-of-range <see cref="SageFaceFeaturizerOptions"/> in the catalog call, naming the option.</summary>
internal static class FaceOptionsValidation
{
    public static void Validate(SageFaceFeaturizerOptions o)
    {
        Check(o.ImageWidth > 0, o.ImageWidth, nameof(o.ImageWidth), "must be positive");
        Check(o.ImageHeight > 0, o.ImageHeight, nameof(o.ImageHeight), "must be positive");
        Check(o.BatchSize > 0, o.BatchSize, nameof(o.BatchSize), "must be positive");
        Check(Enum.IsDefined(o.EncoderChannelOrder), o.EncoderChannelOrder, nameof(o.EncoderChannelOrder), "is not a defined value");
        Check(float.IsFinite(o.EncoderPixelScale) && o.EncoderPixelScale > 0, o.EncoderPixelScale, nameof(o.EncoderPixelScale), "must be positive");
        Check(o.EncoderChannelMeans is { Length: 3 } m && m.All(float.IsFinite), o.EncoderChannelMeans, nameof(o.EncoderChannelMeans), "must hold three finite values (red, green, blue)");
        Check(o.EncoderChannelStds is { Length: 3 } s && s.All(v => float.IsFinite(v) && v > 0), o.EncoderChannelStds, nameof(o.EncoderChannelStds), "must hold three positive values (red, green, blue)");
        Check(o.GpuDeviceId is null or >= 0, o.GpuDeviceId, nameof(o.GpuDeviceId), "must be null or a device index");
        Check(o.CacheFolder is null || !string.IsNullOrWhiteSpace(o.CacheFolder), o.CacheFolder, nameof(o.CacheFolder), "must be null (no cache) or a folder");
        Check(o.EncoderModelPath is null || o.EncoderModelPath.Length > 0, o.EncoderModelPath, nameof(o.EncoderModelPath), "must be null (the packaged ResNet18) or a file");
        if (o.TrainingAugmentation is { } a)
        {
            Check(a.HorizontalFlipProbability is >= 0 and <= 1, a.HorizontalFlipProbability,
                $"{nameof(o.TrainingAugmentation)}.{nameof(a.HorizontalFlipProbability)}", "must lie in [0, 1]");
            Check(a.MinCropScale is > 0 and <= 1, a.MinCropScale, $"{nameof(o.TrainingAugmentation)}.{nameof(a.MinCropScale)}", "must lie in (0, 1]");
        }
        (string Value, string Name)[] columns =
        [
            (o.FaceFolderColumnName, nameof(o.FaceFolderColumnName)),
            (o.FrameCountColumnName, nameof(o.FrameCountColumnName)),
            (o.OutputColumnName, nameof(o.OutputColumnName)),
            (o.FaceFoundColumnName, nameof(o.FaceFoundColumnName)),
        ];
        foreach (var (value, name) in columns)
        {
            Check(!string.IsNullOrWhiteSpace(value), value, name, "must name a column");
        }
        Check(o.FaceFoundColumnName != o.OutputColumnName, o.FaceFoundColumnName, nameof(o.FaceFoundColumnName), "must differ from OutputColumnName");
    }

    private static void Check(bool condition, object? value, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
        }
    }
}

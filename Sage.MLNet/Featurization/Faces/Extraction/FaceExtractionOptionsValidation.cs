namespace Sage.MLNet.Featurization.Faces;

/// <summary>Rejects out-of-range <see cref="SageFaceExtractionOptions"/> in the catalog call, naming the option.</summary>
internal static class FaceExtractionOptionsValidation
{
    public static void Validate(SageFaceExtractionOptions o)
    {
        Check(Enum.IsDefined(o.DetectorModel), o.DetectorModel, nameof(o.DetectorModel), "is not a defined value");
        Check(Enum.IsDefined(o.NoFace), o.NoFace, nameof(o.NoFace), "is not a defined value");
        Check(o.MinDetectionScore is >= 0 and <= 1, o.MinDetectionScore, nameof(o.MinDetectionScore), "must lie in [0, 1]");
        Check(o.SuppressionOverlap is > 0 and <= 1, o.SuppressionOverlap, nameof(o.SuppressionOverlap), "must lie in (0, 1]");
        Check(o.DetectEveryFrames >= 1, o.DetectEveryFrames, nameof(o.DetectEveryFrames), "must be at least 1");
        Check(o.MaxGapFrames >= 0, o.MaxGapFrames, nameof(o.MaxGapFrames), "must not be negative");
        Check(double.IsFinite(o.SmoothingCutoff) && o.SmoothingCutoff > 0, o.SmoothingCutoff, nameof(o.SmoothingCutoff), "must be positive");
        Check(double.IsFinite(o.SmoothingBeta) && o.SmoothingBeta >= 0, o.SmoothingBeta, nameof(o.SmoothingBeta), "must not be negative");
        Check(o.CropSize is >= 16 and <= 1024, o.CropSize, nameof(o.CropSize), "must lie in [16, 1024] pixels");
        Check(o.MaxDecodeSize is >= 64 and <= 8192, o.MaxDecodeSize, nameof(o.MaxDecodeSize), "must lie in [64, 8192] pixels");
        Check(o.DetectorThreads >= 1, o.DetectorThreads, nameof(o.DetectorThreads), "must be at least 1");
        Check(o.CacheFolder is null || !string.IsNullOrWhiteSpace(o.CacheFolder), o.CacheFolder, nameof(o.CacheFolder), "must be null (the system's temporary folder) or a folder");
        (string Value, string Name)[] columns =
        [
            (o.VideoFileColumnName, nameof(o.VideoFileColumnName)),
            (o.FaceFolderColumnName, nameof(o.FaceFolderColumnName)),
            (o.FrameCountColumnName, nameof(o.FrameCountColumnName)),
            (o.FaceFoundColumnName, nameof(o.FaceFoundColumnName)),
            (o.FrameTimeColumnName, nameof(o.FrameTimeColumnName)),
        ];
        foreach (var (value, name) in columns)
        {
            Check(!string.IsNullOrWhiteSpace(value), value, name, "must name a column");
        }
        if (o.RowPerPerson)
        {
            Check(!string.IsNullOrWhiteSpace(o.PersonIdColumnName), o.PersonIdColumnName, nameof(o.PersonIdColumnName), "must name a column");
            columns = [.. columns, (o.PersonIdColumnName, nameof(o.PersonIdColumnName))];
        }
        var outputs = columns.Skip(1).Select(c => c.Value).ToList();
        Check(outputs.Distinct().Count() == outputs.Count, o.FrameTimeColumnName, "output column names", "must differ from each other");
        Check(!outputs.Contains(o.VideoFileColumnName), o.VideoFileColumnName, nameof(o.VideoFileColumnName), "must differ from the output columns");
    }

    private static void Check(bool condition, object? value, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
        }
    }
}

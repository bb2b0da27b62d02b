using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Rejects out-of-range <see cref="SageFaceExtractionOptions"/> in the catalog call, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class FaceExtractionOptionsCheck
{
    public static void Validate(SageFaceExtractionOptions o)
    {
        Defined(o.DetectorModel, nameof(o.DetectorModel));
        Defined(o.NoFace, nameof(o.NoFace));
        Require(o.MinDetectionScore is >= 0 and <= 1, o.MinDetectionScore, nameof(o.MinDetectionScore), "must lie in [0, 1]");
        Require(o.SuppressionOverlap is > 0 and <= 1, o.SuppressionOverlap, nameof(o.SuppressionOverlap), "must lie in (0, 1]");
        Positive(o.DetectEveryFrames, nameof(o.DetectEveryFrames));
        Require(o.MaxGapFrames >= 0, o.MaxGapFrames, nameof(o.MaxGapFrames), "must not be negative");
        Require(double.IsFinite(o.SmoothingCutoff) && o.SmoothingCutoff > 0, o.SmoothingCutoff, nameof(o.SmoothingCutoff), "must be positive");
        Require(double.IsFinite(o.SmoothingBeta) && o.SmoothingBeta >= 0, o.SmoothingBeta, nameof(o.SmoothingBeta), "must not be negative");
        Require(o.CropSize is >= 16 and <= 1024, o.CropSize, nameof(o.CropSize), "must lie in [16, 1024] pixels");
        Require(o.MaxDecodeSize is >= 64 and <= 8192, o.MaxDecodeSize, nameof(o.MaxDecodeSize), "must lie in [64, 8192] pixels");
        Positive(o.DetectorThreads, nameof(o.DetectorThreads));
        Require(o.CacheFolder is null || !string.IsNullOrWhiteSpace(o.CacheFolder), o.CacheFolder, nameof(o.CacheFolder),
            "must be null (the system's temporary folder) or a folder");
        (string Value, string Name)[] columns =
        [
            (o.VideoFileColumnName, nameof(o.VideoFileColumnName)),
            (o.FaceFolderColumnName, nameof(o.FaceFolderColumnName)),
            (o.FrameCountColumnName, nameof(o.FrameCountColumnName)),
            (o.FaceFoundColumnName, nameof(o.FaceFoundColumnName)),
            (o.FrameTimeColumnName, nameof(o.FrameTimeColumnName)),
        ];
        if (o.RowPerPerson)
        {
            columns = [.. columns, (o.PersonIdColumnName, nameof(o.PersonIdColumnName))];
        }
        foreach (var (value, name) in columns)
        {
            ColumnName(value, name);
        }
        var outputs = columns[1..];
        for (var i = 0; i < outputs.Length; i++)
        {
            var earlier = columns[..(i + 1)].FirstOrDefault(c => c.Value == outputs[i].Value).Name;
            Require(earlier is null, outputs[i].Value, outputs[i].Name, $"must differ from {earlier}; every column needs its own name");
        }
    }
}

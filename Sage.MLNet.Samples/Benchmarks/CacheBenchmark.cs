using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Reading face features back from a filled <see cref="SageFeatureCache"/>: frames/s through the featuriser's Transform and through Fill's hit check.</summary>
internal static class CacheBenchmark
{
    private const int Videos = 8;
    private const int CropsPerVideo = 30;
    private const int FramesPerVideo = 9000;        // 5 minutes at 30 fps; frames without a crop take a neighbour's features

    /// <summary>Fills a cache for eight 5-minute videos and adds how fast they read back to the table.</summary>
    public static void ReadSpeed(SyntheticMedia media, int rounds, ResultTable table)
    {
        var crops = media.FaceCrops("cache-crops", CropsPerVideo);
        var rows = Enumerable.Range(0, Videos).Select(v => new FolderRow { FaceFolder = CopyOf(crops, $"cache-video-{v}"), FrameCount = FramesPerVideo }).ToList();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var featurizer = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions { CacheFolder = Path.Combine(media.Root, "cache") }).Fit(data);
        SageFeatureCache.Fill(data, featurizer);
        var frames = Videos * FramesPerVideo;
        var megabytes = frames * (featurizer.FeatureSize + 1) * 4.0 / (1 << 20);
        var transform = new Spread();
        var hits = new Spread();
        for (var round = 0; round < rounds; round++)
        {
            transform.Add(frames / Timed.Seconds(() => _ = featurizer.Transform(data).GetColumn<float[]>("VisualFeatures").ToList()));
            var report = SageFeatureCache.Fill(data, featurizer);
            hits.Add(report.Hits == Videos ? frames / report.Seconds : throw new InvalidOperationException($"cache read: {report.Hits} hits of {Videos} videos"));
        }
        var size = $"{Videos} videos × {FramesPerVideo:N0} frames × {featurizer.FeatureSize} features ({megabytes:N0} MB)";
        table.Add("Cache: read through Transform", transform.ToString("N0"), "frames/s", $"{size}, {rounds} rounds");
        table.Add("Cache: read and verify (Fill, all hits)", hits.ToString("N0"), "frames/s", "file read + SHA-256 check, no ML.NET");
    }

    private static string CopyOf(string folder, string name)
    {
        var copy = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(folder)!, name)).FullName;
        foreach (var file in Directory.GetFiles(folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

    private sealed class FolderRow
    {
        public string FaceFolder { get; set; } = "";

        public int FrameCount { get; set; }
    }
}

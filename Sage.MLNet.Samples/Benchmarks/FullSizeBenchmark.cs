using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>full-size</c> command of the benchmark program: writes a feature cache shaped like Aff-Wild2 (594 videos, about 2 million
/// frames) of synthetic features, then trains one epoch streaming from it in a fresh process and prints frames/s,
/// epoch time and that process's peak memory.
/// </summary>
internal static class FullSizeBenchmark
{
    private const string FaceFoundColumn = "FaceFound";

    /// <summary>Returns the benchmark program's <c>full-size</c> command.</summary>
    public static Command Create()
    {
        var visual = new Option<int>("--visual") { Description = "Dv, visual features per frame (512 for ResNet18, 2048 for ResNet-50).", DefaultValueFactory = _ => 512 };
        var audio = new Option<int>("--audio") { Description = "Da, audio features per frame (128 for log-mel, 768 for WavLM).", DefaultValueFactory = _ => 128 };
        var videos = new Option<int>("--videos") { Description = "Videos in the cache (Aff-Wild2's annotated set has 594).", DefaultValueFactory = _ => 594 };
        var frames = new Option<long>("--frames") { Description = "Frames in all videos together (Aff-Wild2: about 2 million).", DefaultValueFactory = _ => 2_000_000 };
        var quick = new Option<bool>("--short") { Description = "CI size: 24 videos, 60,000 frames (seconds, not minutes)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => 2 };
        var folder = new Option<string>("--folder") { Description = "Where to write the cache (deleted afterwards). Default: a new folder under the temporary folder." };
        var wholeVideos = new Option<bool>("--whole-videos") { Description = "Train from an IDataView of whole-video arrays read from the cache (any IDataView's path) instead of the cache's own rows, which the trainer reads a clip at a time." };
        var trainFrom = new Option<string>("--train-from") { Description = "Internal: train one epoch from this benchmark cache and print the result.", Hidden = true };
        var command = new Command("full-size", "Train one epoch streaming from a feature cache the size of Aff-Wild2 (synthetic features): frames/s, epoch time, peak memory.")
        {
            visual, audio, videos, frames, quick, threads, folder, wholeVideos, trainFrom,
        };
        command.SetAction(parse =>
        {
            var (dv, da, n, whole) = (parse.GetValue(visual), parse.GetValue(audio), parse.GetValue(threads), parse.GetValue(wholeVideos));
            if (parse.GetValue(trainFrom) is { } cache)
            {
                return Train(cache, dv, da, n, whole);
            }
            var quickRun = parse.GetValue(quick);
            return Run(quickRun ? 24 : parse.GetValue(videos), quickRun ? 60_000 : parse.GetValue(frames), dv, da, n, parse.GetValue(folder), whole);
        });
        return command;
    }

    private static int Run(int videos, long totalFrames, int visualSize, int audioSize, int threads, string? folder, bool wholeVideos)
    {
        var lengths = AffWild2Lengths(videos, totalFrames, seed: 1);
        var root = folder ?? Path.Combine(Path.GetTempPath(), $"sage-full-size-{Environment.ProcessId}");
        var bytes = totalFrames * (visualSize + 1 + audioSize) * 4L;
        var free = new DriveInfo(Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(root))!)).AvailableFreeSpace;
        if (bytes > free - (2L << 30))
        {
            throw new IOException($"The benchmark cache needs {bytes / 1e9:F1} GB in '{root}' and its disk has {free / 1e9:F1} GB free (2 GB kept spare): " +
                "pass --folder on a larger disk, or fewer --frames");
        }
        Console.WriteLine($"{Machine.Describe()}; {Machine.Load()}.");
        Console.WriteLine($"Full size: {videos} videos, {totalFrames:N0} frames (shortest {lengths.Min():N0}, median {Median(lengths):N0}, longest {lengths.Max():N0}), " +
            $"Dv {visualSize}, Da {audioSize}, {threads} threads; " +
            (wholeVideos ? "rows of whole-video arrays (LoadFromEnumerable)." : "the cache's own rows, read a clip at a time."));
        try
        {
            var clock = Stopwatch.StartNew();
            WriteCache(root, lengths, visualSize, audioSize);
            Console.WriteLine($"Cache written: {bytes / 1e9:F1} GB in {clock.Elapsed.TotalSeconds:F0} s ({root}).");
            string[] train = ["full-size", "--train-from", root, "--visual", $"{visualSize}", "--audio", $"{audioSize}", "--threads", $"{threads}"];
            Console.WriteLine(ChildProcess.Run(wholeVideos ? [.. train, "--whole-videos"] : train));
            Console.WriteLine($"After the epoch: {Machine.Load()}.");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
        return 0;
    }

    /// <summary>
    /// Returns video lengths in frames that add up to <paramref name="totalFrames"/>: log-normal (σ 0.8) like the long-tailed
    /// lengths of Aff-Wild2's videos (a few seconds to a quarter of an hour at 30 fps), at least 150 and at most 30,000 frames.
    /// </summary>
    internal static int[] AffWild2Lengths(int videos, long totalFrames, int seed)
    {
        var random = new Random(seed);
        var draws = Enumerable.Range(0, videos)
            .Select(_ => Math.Exp(0.8 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))
            .ToArray();
        var mean = (double)totalFrames / videos;
        var lengths = new int[videos];
        // Clamping moves the sum; rescale the draws until the clamped lengths add up (a few rounds), then fix the rounding.
        var scale = mean / draws.Average();
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < videos; i++)
            {
                lengths[i] = (int)Math.Clamp(Math.Round(draws[i] * scale), 150, 30_000);
            }
            scale *= totalFrames / (double)lengths.Sum(l => (long)l);
        }
        var rest = totalFrames - lengths.Sum(l => (long)l);
        for (var i = 0; rest != 0; i = (i + 1) % videos)
        {
            var step = (int)Math.Sign(rest);
            if (lengths[i] + step is >= 150 and <= 30_000)
            {
                lengths[i] += step;
                rest -= step;
            }
        }
        return lengths;
    }

    /// <summary>Writes each video's face and audio features as the cache's own files (hashed, renamed into place) and a list of the videos.</summary>
    private static void WriteCache(string root, int[] lengths, int visualSize, int audioSize)
    {
        Directory.CreateDirectory(root);
        // Feature values come from a pool of random frames at an offset per video: cheap to write, not constant.
        const int Pool = 4099;
        var random = new Random(7);
        var visualPool = Enumerable.Range(0, Pool * visualSize).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        var audioPool = Enumerable.Range(0, Pool * audioSize).Select(_ => random.NextSingle() * 2 - 1).ToArray();
        for (var v = 0; v < lengths.Length; v++)
        {
            var frames = lengths[v];
            var visual = new float[(long)frames * visualSize];
            var audio = new float[(long)frames * audioSize];
            for (var t = 0; t < frames; t++)
            {
                var p = (t + 997 * v) % Pool;
                visualPool.AsSpan(p * visualSize, visualSize).CopyTo(visual.AsSpan(t * visualSize));
                audioPool.AsSpan(p * audioSize, audioSize).CopyTo(audio.AsSpan(t * audioSize));
            }
            var faceFound = new float[frames];
            faceFound.AsSpan().Fill(1);
            faceFound.AsSpan(frames / 3, frames / 30).Clear();         // about 3 % of frames without a face
            FeatureCacheFile.Write(FacesFile(root, v), new VideoFeatures(frames, visualSize, visual, 1, faceFound));
            FeatureCacheFile.Write(AudioFile(root, v), new VideoFeatures(frames, audioSize, audio, 0, []));
        }
        File.WriteAllLines(Path.Combine(root, "videos.txt"), lengths.Select(l => l.ToString(CultureInfo.InvariantCulture)));
    }

    private static string FacesFile(string root, int video) => Path.Combine(root, $"video-{video:D4}.faces{FeatureCacheFile.Extension}");

    private static string AudioFile(string root, int video) => Path.Combine(root, $"video-{video:D4}.audio{FeatureCacheFile.Extension}");

    /// <summary>
    /// Trains one epoch on the rows of <paramref name="root"/>, each read from its files when the trainer reaches it: by
    /// default the cache's own rows (<see cref="FeatureCacheRows"/>), whose clips the trainer reads straight from the files;
    /// with <paramref name="wholeVideos"/> an enumerable of whole-video arrays, the path of any other IDataView.
    /// </summary>
    private static int Train(string root, int visualSize, int audioSize, int threads, bool wholeVideos)
    {
        var lengths = File.ReadAllLines(Path.Combine(root, "videos.txt")).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var ml = new MLContext(seed: 1);
        SageTrainingProgress? epoch = null;
        var options = new SageOptions
        {
            VisualFeatureSize = visualSize, AudioFeatureSize = audioSize, FaceFoundColumnName = FaceFoundColumn,
            MaxEpochs = 1, TrainingThreads = threads, Progress = new Last(p => epoch = p),
        };
        var data = wholeVideos
            ? ml.Data.LoadFromEnumerable(Rows(root, lengths, visualSize, audioSize))
            : new FeatureCacheRows(
                [.. lengths.Select((frames, v) => new FeatureCacheVideo($"video-{v:D4}", FacesFile(root, v), AudioFile(root, v), frames))],
                visualSize, audioSize, video => Labels(int.Parse(video.VideoId.AsSpan(6), CultureInfo.InvariantCulture), video.Frames), options);
        using var sampler = new MemorySampler();
        var clock = Stopwatch.StartNew();
        using (ml.Transforms.Sage(options).Fit(data))
        {
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var frames = lengths.Sum(l => (long)l);
        Console.WriteLine($"One epoch: {frames:N0} frames in {seconds:F0} s = {frames / seconds:N0} frames/s " +
            $"(the training loop alone: {epoch!.FramesPerSecond:N0} frames/s); {sampler.Summary()}");
        return 0;
    }

    private static IEnumerable<CachedRow> Rows(string root, int[] lengths, int visualSize, int audioSize)
    {
        for (var v = 0; v < lengths.Length; v++)
        {
            var frames = lengths[v];
            var faces = FeatureCacheFile.TryRead(FacesFile(root, v), frames, visualSize, 1)
                ?? throw new InvalidDataException($"benchmark cache file '{FacesFile(root, v)}' is missing or damaged");
            var audio = FeatureCacheFile.TryRead(AudioFile(root, v), frames, audioSize, 0)
                ?? throw new InvalidDataException($"benchmark cache file '{AudioFile(root, v)}' is missing or damaged");
            var (valence, arousal) = Labels(v, frames);
            yield return new CachedRow
            {
                VideoId = $"video-{v:D4}", VisualFeatures = faces.Values, FaceFound = faces.Extra, AudioFeatures = audio.Values,
                Valence = valence, Arousal = arousal,
            };
        }
    }

    /// <summary>Returns video <paramref name="v"/>'s synthetic labels.</summary>
    private static (float[] Valence, float[] Arousal) Labels(int v, int frames)
    {
        var valence = new float[frames];
        var arousal = new float[frames];
        for (var t = 0; t < frames; t++)
        {
            var unannotated = t % 1000 >= 950;        // 5 % of frames carry −5, as unannotated frames do in Aff-Wild2
            valence[t] = unannotated ? SageLabels.NotAnnotated : 0.8f * MathF.Sin((t + 31 * v) / 97f);
            arousal[t] = unannotated ? SageLabels.NotAnnotated : 0.8f * MathF.Cos((t + 17 * v) / 151f);
        }
        return (valence, arousal);
    }

    private static int Median(int[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private sealed class Last(Action<SageTrainingProgress> report) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value) => report(value);
    }

    private sealed class CachedRow
    {
        public string VideoId { get; set; } = "";

        public float[] VisualFeatures { get; set; } = [];

        public float[] FaceFound { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;
using Sage.MLNet.Data;
using Sage.MLNet.Export;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>full-size</c> command of the benchmark program: writes a feature cache shaped like Aff-Wild2 (594 videos, about 2 million
/// frames) of synthetic features where the public featurisers look for it, then trains one epoch in a fresh process through
/// FeaturizeFaces → FeaturizeAudio → Sage, as <c>train --cache</c> does (clips streamed from the cache files), and prints
/// frames/s, epoch time and that process's peak memory. With <c>--whole-videos</c> it trains from rows of whole-video arrays instead.
/// </summary>
internal static class FullSizeBenchmark
{
    private const string FaceFoundColumn = "FaceFound";

    /// <summary>Returns the benchmark program's <c>full-size</c> command.</summary>
    public static Command Create()
    {
        var visual = new Option<int>("--visual") { Description = "Dv, visual features per frame (512 for ResNet18, 2048 for ResNet-50).", DefaultValueFactory = _ => 512 };
        var audio = new Option<int>("--audio") { Description = "Da, audio features per frame (128 for log-mel, 768 for WavLM); even (log-mel gives 2 values per band).", DefaultValueFactory = _ => 128 };
        var videos = new Option<int>("--videos") { Description = "Videos in the cache (Aff-Wild2's annotated set has 594).", DefaultValueFactory = _ => 594 };
        var frames = new Option<long>("--frames") { Description = "Frames in all videos together (Aff-Wild2: about 2 million).", DefaultValueFactory = _ => 2_000_000 };
        var quick = new Option<bool>("--short") { Description = "CI size: 24 videos, 60,000 frames (seconds, not minutes)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => 2 };
        var folder = new Option<string>("--folder") { Description = "Where to write the cache (deleted afterwards). Default: a new folder under the temporary folder." };
        var wholeVideos = new Option<bool>("--whole-videos")
        {
            Description = "Train from LoadFromEnumerable rows of whole-video arrays read from the same cache files (any IDataView's path, and the featurisers' before they streamed) " +
                "instead of through FeaturizeFaces -> FeaturizeAudio -> Sage, whose clips the trainer reads straight from the files.",
        };
        var trainFrom = new Option<string>("--train-from") { Description = "Internal: train one epoch from this benchmark cache and print the result.", Hidden = true };
        var command = new Command("full-size", "Train one epoch streaming from a feature cache the size of Aff-Wild2 (synthetic features): frames/s, epoch time, peak memory.")
        {
            visual, audio, videos, frames, quick, threads, folder, wholeVideos, trainFrom,
        };
        command.SetAction(parse =>
        {
            var (dv, da, n, whole) = (parse.GetValue(visual), parse.GetValue(audio), parse.GetValue(threads), parse.GetValue(wholeVideos));
            if (da % 2 != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(audio), da, "--audio must be even: the cache is log-mel's, which gives 2 values per band");
            }
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
            (wholeVideos
                ? "rows of whole-video arrays read from the cache files (LoadFromEnumerable)."
                : "FeaturizeFaces -> FeaturizeAudio -> Sage over the filled cache, clips read from its files (train --cache's path)."));
        try
        {
            var clock = Stopwatch.StartNew();
            WriteFeaturizerCache(root, lengths, visualSize, audioSize);
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

    /// <summary>Writes each video's face and audio features as cache files (hashed, renamed into place) at the paths given.</summary>
    private static void WriteCache(int[] lengths, int visualSize, int audioSize, Func<int, string> facesFile, Func<int, string> audioFile)
    {
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
            Directory.CreateDirectory(Path.GetDirectoryName(facesFile(v))!);
            Directory.CreateDirectory(Path.GetDirectoryName(audioFile(v))!);
            FeatureCacheFile.Write(facesFile(v), new VideoFeatures(frames, visualSize, visual, 1, faceFound));
            FeatureCacheFile.Write(audioFile(v), new VideoFeatures(frames, audioSize, audio, 0, []));
        }
    }

    /// <summary>
    /// Writes the videos as the featurisers see them (an empty face folder and a placeholder video file each, never decoded:
    /// the cache holds their features), a face encoder of width Dv, and their features where the fitted featurisers look
    /// for them, as <c>featurize</c> would have left them.
    /// </summary>
    private static void WriteFeaturizerCache(string root, int[] lengths, int visualSize, int audioSize)
    {
        Directory.CreateDirectory(root);
        File.WriteAllLines(Path.Combine(root, "videos.txt"), lengths.Select(l => l.ToString(CultureInfo.InvariantCulture)));
        WriteFaceEncoder(Path.Combine(root, "face-encoder.onnx"), visualSize);
        var rows = VideoRows(root, lengths).ToArray();
        foreach (var row in rows)
        {
            Directory.CreateDirectory(row.FaceFolder);
            Directory.CreateDirectory(Path.GetDirectoryName(row.VideoFile)!);
            File.WriteAllText(row.VideoFile, "placeholder: the feature cache holds this video's audio features\n");
        }
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var faces = ml.Transforms.FeaturizeFaces(FaceOptions(root)).Fit(data);
        using var audio = ml.Transforms.FeaturizeAudio(AudioOptions(root, audioSize)).Fit(data);
        var (facesCache, audioCache) = (((ICacheableFeaturizer)faces).Cached, ((ICacheableFeaturizer)audio).Cached);
        if ((faces.FeatureSize, audio.FeatureSize) != (visualSize, audioSize))
        {
            throw new InvalidOperationException($"the featurisers give {faces.FeatureSize} + {audio.FeatureSize} values per frame, not {visualSize} + {audioSize}");
        }
        WriteCache(lengths, visualSize, audioSize,
            v => facesCache.PathOf(rows[v].FaceFolder, rows[v].FrameCount)!, v => audioCache.PathOf(rows[v].VideoFile, rows[v].FrameCount)!);
    }

    /// <summary>Writes an ONNX image encoder [N, 3, H, W] → [N, <paramref name="width"/>]: channel means times a fixed random matrix.</summary>
    private static void WriteFaceEncoder(string path, int width)
    {
        var builder = new OnnxGraphBuilder("full-size-faces");
        builder.AddFloatInput("images", OnnxGraphBuilder.Dim("N"), OnnxGraphBuilder.Dim(3), OnnxGraphBuilder.Dim("H"), OnnxGraphBuilder.Dim("W"));
        var pooled = builder.Node("Flatten", [builder.Node("GlobalAveragePool", ["images"])], OnnxGraphBuilder.IntAttribute("axis", 1));
        var random = new Random(3);
        var weights = builder.Floats("weights", [.. Enumerable.Range(0, 3 * width).Select(_ => random.NextSingle() - 0.5f)], [3, width]);
        builder.NamedNode("MatMul", [pooled, weights], ["embedding"]);
        builder.AddFloatOutput("embedding", OnnxGraphBuilder.Dim("N"), OnnxGraphBuilder.Dim(width));
        var model = new ModelProto { IrVersion = 7, Graph = builder.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static SageFaceFeaturizerOptions FaceOptions(string root) => new()
    {
        EncoderModelPath = Path.Combine(root, "face-encoder.onnx"),
        EncoderOutputName = "embedding",
        CacheFolder = Path.Combine(root, "cache"),
    };

    private static SageAudioFeaturizerOptions AudioOptions(string root, int audioSize) => new()
    {
        MelBands = audioSize / 2,
        CacheFolder = Path.Combine(root, "cache"),
    };

    /// <summary>The videos' rows as <c>train</c> gives them to the featurisers: where their crops and file are, T and the labels.</summary>
    private static IEnumerable<VideoRow> VideoRows(string root, int[] lengths)
    {
        for (var v = 0; v < lengths.Length; v++)
        {
            var (valence, arousal) = Labels(v, lengths[v]);
            yield return new VideoRow
            {
                VideoId = $"video-{v:D4}", FaceFolder = Path.Combine(root, "faces", $"video-{v:D4}"), VideoFile = Path.Combine(root, "videos", $"video-{v:D4}.mp4"),
                FrameCount = lengths[v], Valence = valence, Arousal = arousal,
            };
        }
    }

    private sealed class VideoRow
    {
        public string VideoId { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public string VideoFile { get; set; } = "";

        public int FrameCount { get; set; }

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }

    /// <summary>
    /// Trains one epoch on the videos of <paramref name="root"/> (the cache of <see cref="WriteFeaturizerCache"/>) as the sample's
    /// <c>train --cache</c> does: the fitted featurisers' Transform into Sage's Fit, which reads each clip straight from the
    /// cache files; fails unless every video was streamed from the cache. With <paramref name="wholeVideos"/>, from
    /// LoadFromEnumerable rows of whole-video arrays read from the same files instead: the path of any other IDataView.
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
        using var sampler = new MemorySampler();
        var clock = Stopwatch.StartNew();
        var videos = ml.Data.LoadFromEnumerable(VideoRows(root, lengths));
        using var faces = ml.Transforms.FeaturizeFaces(FaceOptions(root)).Fit(videos);
        using var audio = ml.Transforms.FeaturizeAudio(AudioOptions(root, audioSize)).Fit(videos);
        var (facesCache, audioCache) = (((ICacheableFeaturizer)faces).Cached, ((ICacheableFeaturizer)audio).Cached);
        var data = wholeVideos
            ? ml.Data.LoadFromEnumerable(WholeVideoRows(VideoRows(root, lengths), facesCache, audioCache))
            : audio.Transform(faces.Transform(videos));
        using (ml.Transforms.Sage(options).Fit(data))
        {
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var frames = lengths.Sum(l => (long)l);
        Console.WriteLine($"One epoch: {frames:N0} frames in {seconds:F0} s = {frames / seconds:N0} frames/s " +
            $"(the training loop alone: {epoch!.FramesPerSecond:N0} frames/s); {sampler.Summary()}");
        if (!wholeVideos)
        {
            Console.WriteLine($"Videos streamed from the cache / read whole / computed: faces {facesCache.Streamed} / {facesCache.WholeReads} / {facesCache.Computations}, " +
                $"audio {audioCache.Streamed} / {audioCache.WholeReads} / {audioCache.Computations}.");
            if ((facesCache.Streamed, facesCache.WholeReads, facesCache.Computations, audioCache.Streamed, audioCache.WholeReads, audioCache.Computations)
                != (lengths.Length, 0, 0, lengths.Length, 0, 0))
            {
                throw new InvalidOperationException($"the featurisers did not stream each of the {lengths.Length} videos once from the benchmark's cache: not the path this benchmark times");
            }
        }
        return 0;
    }

    /// <summary>The videos' rows with their features read whole from the cache files, one new array per video and column.</summary>
    private static IEnumerable<CachedRow> WholeVideoRows(IEnumerable<VideoRow> videos, CachedFeaturizer faces, CachedFeaturizer audio)
    {
        foreach (var video in videos)
        {
            var (facesFile, audioFile) = (faces.PathOf(video.FaceFolder, video.FrameCount)!, audio.PathOf(video.VideoFile, video.FrameCount)!);
            var visual = faces.TryRead(facesFile, video.FrameCount) ?? throw new InvalidDataException($"benchmark cache file '{facesFile}' is missing or damaged");
            var sound = audio.TryRead(audioFile, video.FrameCount) ?? throw new InvalidDataException($"benchmark cache file '{audioFile}' is missing or damaged");
            yield return new CachedRow
            {
                VideoId = video.VideoId, VisualFeatures = visual.Values, FaceFound = visual.Extra, AudioFeatures = sound.Values,
                Valence = video.Valence, Arousal = video.Arousal,
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

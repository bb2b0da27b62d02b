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
/// frames) of synthetic features, then trains one epoch streaming from it in a fresh process and prints frames/s,
/// epoch time and that process's peak memory. With <c>--featurizers</c> the cache is the one the public featurisers fill
/// and training goes through them (FeaturizeFaces → FeaturizeAudio → Sage), as <c>train --cache</c> does.
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
        var featurizers = new Option<bool>("--featurizers")
        {
            Description = "Fill the cache where the public featurisers look (empty face folders, placeholder video files, a generated face encoder of width Dv, " +
                "log-mel with Da / 2 bands) and train through FeaturizeFaces -> FeaturizeAudio -> Sage, as `train --cache` does; with --whole-videos " +
                "the featurised rows reach the trainer through a plain wrapper that hides the clip-at-a-time path (whole videos from the getters, the path before it).",
        };
        var trainFrom = new Option<string>("--train-from") { Description = "Internal: train one epoch from this benchmark cache and print the result.", Hidden = true };
        var command = new Command("full-size", "Train one epoch streaming from a feature cache the size of Aff-Wild2 (synthetic features): frames/s, epoch time, peak memory.")
        {
            visual, audio, videos, frames, quick, threads, folder, wholeVideos, featurizers, trainFrom,
        };
        command.SetAction(parse =>
        {
            var (dv, da, n, whole, through) = (parse.GetValue(visual), parse.GetValue(audio), parse.GetValue(threads), parse.GetValue(wholeVideos), parse.GetValue(featurizers));
            if (through && da % 2 != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(audio), da, "--featurizers needs an even --audio: log-mel gives 2 values per band");
            }
            if (parse.GetValue(trainFrom) is { } cache)
            {
                return Train(cache, dv, da, n, whole, through);
            }
            var quickRun = parse.GetValue(quick);
            return Run(quickRun ? 24 : parse.GetValue(videos), quickRun ? 60_000 : parse.GetValue(frames), dv, da, n, parse.GetValue(folder), whole, through);
        });
        return command;
    }

    private static int Run(int videos, long totalFrames, int visualSize, int audioSize, int threads, string? folder, bool wholeVideos, bool throughFeaturizers)
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
            (throughFeaturizers
                ? wholeVideos
                    ? "FeaturizeFaces -> FeaturizeAudio -> Sage over the filled cache, clip-at-a-time path hidden (whole videos from the getters)."
                    : "FeaturizeFaces -> FeaturizeAudio -> Sage over the filled cache (train --cache's path)."
                : wholeVideos ? "rows of whole-video arrays (LoadFromEnumerable)." : "the cache's own rows, read a clip at a time."));
        try
        {
            var clock = Stopwatch.StartNew();
            if (throughFeaturizers)
            {
                WriteFeaturizerCache(root, lengths, visualSize, audioSize);
            }
            else
            {
                WriteCache(lengths, visualSize, audioSize, v => FacesFile(root, v), v => AudioFile(root, v));
                File.WriteAllLines(Path.Combine(root, "videos.txt"), lengths.Select(l => l.ToString(CultureInfo.InvariantCulture)));
            }
            Console.WriteLine($"Cache written: {bytes / 1e9:F1} GB in {clock.Elapsed.TotalSeconds:F0} s ({root}).");
            string[] train = ["full-size", "--train-from", root, "--visual", $"{visualSize}", "--audio", $"{audioSize}", "--threads", $"{threads}"];
            train = throughFeaturizers ? [.. train, "--featurizers"] : train;
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

    /// <summary>Passes rows through unchanged with cursors that offer nothing but getters, as any plain IDataView wrapper does.</summary>
    private sealed class PlainView(IDataView source) : IDataView
    {
        public bool CanShuffle => source.CanShuffle;

        public DataViewSchema Schema => source.Schema;

        public long? GetRowCount() => source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new PlainCursor(source.GetRowCursor(columnsNeeded, rand));

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [.. source.GetRowCursorSet(columnsNeeded, n, rand).Select(c => (DataViewRowCursor)new PlainCursor(c))];

        private sealed class PlainCursor(DataViewRowCursor source) : ForwardingCursor(source)
        {
            public override long Position => Source.Position;

            public override bool MoveNext() => Source.MoveNext();
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

    private static string FacesFile(string root, int video) => Path.Combine(root, $"video-{video:D4}.faces{FeatureCacheFile.Extension}");

    private static string AudioFile(string root, int video) => Path.Combine(root, $"video-{video:D4}.audio{FeatureCacheFile.Extension}");

    /// <summary>
    /// Trains one epoch on the videos of <paramref name="root"/>, each read from its files when the trainer reaches it: by
    /// default the cache's own rows (<see cref="FeatureCacheRows"/>), whose clips the trainer reads straight from the files,
    /// with <paramref name="wholeVideos"/> an enumerable of whole-video arrays, the path of any other IDataView. With
    /// <paramref name="throughFeaturizers"/>, the rows of the public featurisers over the cache of <see cref="WriteFeaturizerCache"/>
    /// (their Transform, then Sage's Fit, as the sample's <c>train</c> does), and with <paramref name="wholeVideos"/> as well
    /// those rows through a plain wrapper that hides the clip-at-a-time path.
    /// </summary>
    private static int Train(string root, int visualSize, int audioSize, int threads, bool wholeVideos, bool throughFeaturizers)
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
        SageFaceFeaturizerTransformer? faces = null;
        SageAudioFeaturizerTransformer? audio = null;
        try
        {
            IDataView data;
            if (throughFeaturizers)
            {
                var videos = ml.Data.LoadFromEnumerable(VideoRows(root, lengths));
                faces = ml.Transforms.FeaturizeFaces(FaceOptions(root)).Fit(videos);
                audio = ml.Transforms.FeaturizeAudio(AudioOptions(root, audioSize)).Fit(videos);
                var featurized = audio.Transform(faces.Transform(videos));
                data = wholeVideos ? new PlainView(featurized) : featurized;
            }
            else
            {
                data = wholeVideos
                    ? ml.Data.LoadFromEnumerable(Rows(root, lengths, visualSize, audioSize))
                    : new FeatureCacheRows(
                        [.. lengths.Select((frames, v) => new FeatureCacheVideo($"video-{v:D4}", FacesFile(root, v), AudioFile(root, v), frames))],
                        visualSize, audioSize, video => Labels(int.Parse(video.VideoId.AsSpan(6), CultureInfo.InvariantCulture), video.Frames), options);
            }
            using (ml.Transforms.Sage(options).Fit(data))
            {
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var frames = lengths.Sum(l => (long)l);
            Console.WriteLine($"One epoch: {frames:N0} frames in {seconds:F0} s = {frames / seconds:N0} frames/s " +
                $"(the training loop alone: {epoch!.FramesPerSecond:N0} frames/s); {sampler.Summary()}");
            if (faces is not null && audio is not null)
            {
                var (f, a) = (((ICacheableFeaturizer)faces).Cached, ((ICacheableFeaturizer)audio).Cached);
                Console.WriteLine($"Videos streamed from the cache / read whole / computed: faces {f.Streamed} / {f.WholeReads} / {f.Computations}, " +
                    $"audio {a.Streamed} / {a.WholeReads} / {a.Computations}.");
            }
        }
        finally
        {
            faces?.Dispose();
            audio?.Dispose();
        }
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

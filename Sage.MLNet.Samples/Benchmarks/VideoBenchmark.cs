using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Synthetic;
using Sage.MLNet.Export;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Media;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>video</c> command of the benchmark program: a raw 640 × 360, 25 frames/s video of a real face (made from the astronaut photograph
/// with ffmpeg) through the whole chain, ExtractFaces → FeaturizeFaces (ResNet18) → FeaturizeAudio → SAGE, with each
/// stage's share; the detector's effective rate when it runs on every k-th frame; what skipping costs in missed, late and
/// offset faces on short test videos; and (full mode) peak memory for a 1- and a 20-minute video, each in its own process.
/// </summary>
internal static class VideoBenchmark
{
    private const int Width = 640;
    private const int Height = 360;
    private const int Rate = 25;

    /// <summary>Returns the <c>video</c> subcommand of <c>benchmark</c>.</summary>
    public static Command Create()
    {
        var shortMode = new Option<bool>("--short") { Description = "CI mode: a 12-second video, k of 1 and 4, no memory runs (about 2 minutes)." };
        var every = new Option<int>("--every") { Description = "k for the end-to-end run: detect on every k-th frame (SageFaceExtractionOptions.DetectEveryFrames).", DefaultValueFactory = _ => 4 };
        var seconds = new Option<double>("--seconds") { Description = "Length of the speed video, in seconds (full mode).", DefaultValueFactory = _ => 60 };
        var memoryMinutes = new Option<double[]>("--memory-minutes")
        {
            Description = "Video lengths (minutes) whose end-to-end peak memory is measured in a fresh process each (full mode).",
            DefaultValueFactory = _ => [1, 20],
            AllowMultipleArgumentsPerToken = true,
        };
        var measure = new Option<string>("--measure-memory") { Description = "Internal: run the chain on this video and print peak memory.", Hidden = true };
        var saveModel = new Option<string>("--save-model") { Description = "Internal: save the tiny model with its featurizers to this file (for --measure-memory, in a process of its own).", Hidden = true };
        var scoring = new Option<int>("--measure-scoring") { Description = "Internal: score one synthetic row of this many frames and print peak memory.", Hidden = true };
        var stock = new Option<bool>("--stock") { Description = "Internal, with --measure-scoring or --measure-memory: score with the model saved and loaded back as ML.NET's stock OnnxTransformer (one run per video).", Hidden = true };
        var figure = new Option<string>("--alignment-figure") { Description = "Write the README's alignment picture (frame with the detector's box, the plain box crop, our aligned crop) to this PNG and stop." };
        var command = new Command("video", "Measure raw video to valence-arousal: frames/s end to end with each stage's share, detection rate, what skipping detections costs, peak memory.")
        {
            shortMode, every, seconds, memoryMinutes, measure, saveModel, scoring, stock, figure,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(figure) is { } png)
            {
                return AlignmentFigure.Write(png, Photo());
            }
            if (parse.GetValue(scoring) is > 0 and var frames)
            {
                return MeasureScoringMemory(frames, parse.GetValue(stock));
            }
            if (parse.GetValue(saveModel) is { } modelFile)
            {
                return SaveModel(modelFile, parse.GetValue(every));
            }
            if (parse.GetValue(measure) is { } video)
            {
                return MeasureMemory(video, parse.GetValue(every), parse.GetValue(stock));
            }
            var isShort = parse.GetValue(shortMode);
            return Run(isShort ? 12 : parse.GetValue(seconds), parse.GetValue(every), isShort ? [1, 4] : [1, 2, 4, 8], isShort ? [] : parse.GetValue(memoryMinutes)!);
        });
        return command;
    }

    private static int Run(double seconds, int every, int[] ks, double[] memoryMinutes)
    {
        Console.WriteLine($"Video benchmark on {Machine.Describe()}; load average {LoadAverage()}.");
        var table = new ResultTable();
        var folder = Directory.CreateTempSubdirectory("sage-video-benchmark-").FullName;
        try
        {
            var photo = Photo();
            var video = MakeVideo(folder, photo, "speed.mp4", seconds);
            var frames = (int)Math.Round(seconds * Rate);
            Console.WriteLine($"{seconds:0.#} s of 640 × 360 at 25 frames/s ({frames:N0} frames), a 240-pixel face moving; ONNX Runtime 2 threads per model.");
            DetectionRates(folder, video, ks, table);
            EndToEnd(folder, video, every, table);
            SkippingCost(folder, photo, ks.Where(k => k > 1).ToArray(), table);
            foreach (var minutes in memoryMinutes)
            {
                var path = MakeVideo(folder, photo, $"memory-{minutes}.mp4", minutes * 60);
                var peak = ChildProcess.Run("video", "--measure-memory", path, "--every", $"{every}");
                File.Delete(path);
                table.Add($"Peak memory, {minutes:0.#}-minute video, end to end (k = {every})", peak.Split(' ')[0], "MB", peak[(peak.IndexOf(' ') + 1)..]);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine($"{Environment.NewLine}{Machine.Describe()}; load average {LoadAverage()}");
        table.Print(Console.Out);
        return 0;
    }

    /// <summary>Extraction alone for each k (full-range model) and the short-range model at k = 1: the detector's own and effective rates.</summary>
    private static void DetectionRates(string folder, string video, int[] ks, ResultTable table)
    {
        var configurations = ks.Select(k => (SageFaceDetectorModel.BlazeFaceFullRange, k)).Append((SageFaceDetectorModel.BlazeFaceShortRange, 1));
        foreach (var (model, k) in configurations)
        {
            var ml = new MLContext(seed: 1);
            var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = video }]);
            var options = Options(folder, k, model);
            options.NoFace = SageNoFacePolicy.Empty;        // the short-range model may find nothing at this distance: say so, do not stop
            using var extraction = ml.Transforms.ExtractFaces(options).Fit(rows);
            var clock = Stopwatch.StartNew();
            var found = ml.Data.CreateEnumerable<ExtractedRow>(extraction.Transform(rows), reuseRowObject: false).Single().FaceFound;
            var elapsed = clock.Elapsed.TotalSeconds;
            var t = extraction.Extractor.Timings;
            var name = model == SageFaceDetectorModel.BlazeFaceFullRange ? "full-range 256²" : "short-range 128²";
            table.Add($"Detection, {name}, k = {k}", $"{t.Frames / t.Detect.TotalSeconds:N0}", "frames/s",
                $"effective ({t.DetectedFrames:N0} of {t.Frames:N0} frames searched, {t.DetectedFrames / t.Detect.TotalSeconds:N0} searches/s); " +
                $"extraction {t.Frames / elapsed:N0} frames/s; faces in {found.Sum():N0} frames");
        }
    }

    /// <summary>Each stage alone in chain order (each reading the previous one's cached output), then the whole chain in one pass on empty caches.</summary>
    private static void EndToEnd(string folder, string video, int every, ResultTable table)
    {
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = video }]);
        var options = Options(folder, every, SageFaceDetectorModel.BlazeFaceFullRange);
        using var extraction = ml.Transforms.ExtractFaces(options).Fit(rows);
        var stages = new List<(string Name, double Seconds)>();

        var clock = Stopwatch.StartNew();
        var extracted = ml.Data.Cache(extraction.Transform(rows));
        var frames = extracted.GetColumn<int>(options.FrameCountColumnName).Single();
        var extractSeconds = clock.Elapsed.TotalSeconds;
        var t = extraction.Extractor.Timings;
        var inside = (t.Decode + t.Detect + t.Track + t.Align + t.Encode + t.Write).TotalSeconds;
        // The extractor's own clocks split its time; what they do not cover (ML.NET, the manifest, the rename) goes to "write".
        stages.Add(("decode (ffmpeg)", t.Decode.TotalSeconds));
        stages.Add(($"detect (BlazeFace, k = {every})", t.Detect.TotalSeconds));
        stages.Add(("track + align", (t.Track + t.Align).TotalSeconds));
        stages.Add(("crop JPEG encode + write", (t.Encode + t.Write).TotalSeconds + Math.Max(0, extractSeconds - inside)));

        using var faces = ml.Transforms.FeaturizeFaces().Fit(extracted);
        clock.Restart();
        var visual = ml.Data.Cache(faces.Transform(extracted));
        Touch(visual, "VisualFeatures");
        stages.Add(("face features (ResNet18, JPEG read)", clock.Elapsed.TotalSeconds));

        using var audio = ml.Transforms.FeaturizeAudio().Fit(visual);
        clock.Restart();
        var features = ml.Data.Cache(audio.Transform(visual));
        Touch(features, "AudioFeatures");
        stages.Add(("audio (decode + log-mel)", clock.Elapsed.TotalSeconds));

        using var sage = TrainTiny(ml, faces.FeatureSize, audio.FeatureSize);
        Touch(sage.Transform(features), "PredictedValence");        // warm-up: ONNX Runtime's first run
        clock.Restart();
        Touch(sage.Transform(features), "PredictedValence");
        stages.Add(("SAGE (ONNX)", clock.Elapsed.TotalSeconds));

        var total = stages.Sum(s => s.Seconds);
        table.Add($"End to end, stages in turn (k = {every})", $"{frames / total:N0}", "frames/s", $"{frames / total / Rate:F1}× real time; {frames:N0} frames in {total:F1} s");
        foreach (var (name, stageSeconds) in stages)
        {
            table.Add($"  share: {name}", $"{100 * stageSeconds / total:F0}", "%", $"{frames / stageSeconds:N0} frames/s alone");
        }

        // One pass through the chain as a user runs it, on empty caches.
        var fresh = Options(folder, every, SageFaceDetectorModel.BlazeFaceFullRange);
        using var chainExtraction = ml.Transforms.ExtractFaces(fresh).Fit(rows);
        clock.Restart();
        Touch(sage.Transform(audio.Transform(faces.Transform(chainExtraction.Transform(rows)))), "PredictedValence");
        var chainSeconds = clock.Elapsed.TotalSeconds;
        table.Add($"End to end, one pass (k = {every})", $"{frames / chainSeconds:N0}", "frames/s", $"{frames / chainSeconds / Rate:F1}× real time; ExtractFaces → FeaturizeFaces → FeaturizeAudio → SAGE, nothing cached");
    }

    /// <summary>
    /// For each k, against k = 1 on short test videos: frames whose face is missing, how many frames later a second face that
    /// walks in is found, and how far the main face's eye midpoint is from where detecting every frame puts it.
    /// </summary>
    private static void SkippingCost(string folder, string photo, int[] ks, ResultTable table)
    {
        (string Name, string Filter)[] videos =
        [
            ("fast pan (200 px/s)", "[1:v]scale=200:200[p];[0:v][p]overlay=x='20+200*t':y=60"),
            ("zoom (120 → 280 px)", "[1:v]scale=w='200+80*sin(2*PI*t/2)':h='200+80*sin(2*PI*t/2)':eval=frame[p];[0:v][p]overlay=x=180:y=20"),
            ("head turn (±25°)", "[1:v]scale=240:240,rotate=a='25*PI/180*sin(2*PI*t/1.6)':c=black[p];[0:v][p]overlay=x=200:y=60"),
            ("second face walks in at 1.5 s", "[1:v]split[a][b];[a]scale=240:240[big];[b]scale=160:160[small];[0:v][big]overlay=x=40:y=60[t];[t][small]overlay=x='if(lt(t,1.5),700,420)':y=100"),
            ("face leaves 1.5–2.0 s", "[1:v]scale=240:240[p];[0:v][p]overlay=x=200:y=60:enable='not(between(t,1.5,2.0))'"),
        ];
        foreach (var (name, filter) in videos)
        {
            var file = FFMpegVideo(folder, photo, $"cost-{videos.ToList().FindIndex(v => v.Name == name)}.mp4", filter, 4);
            var reference = Follow(file, 1);
            foreach (var k in ks)
            {
                var skipped = Follow(file, k);
                var missed = reference.Zip(skipped).Count(p => p.First.Count > 0 && p.Second.Count == 0);
                var extra = reference.Zip(skipped).Count(p => p.First.Count == 0 && p.Second.Count > 0);
                var firstTwo = FirstFrameWith(reference, 2);
                var lateSecond = firstTwo is int r && FirstFrameWith(skipped, 2) is int s ? $"; second face found {s - r} frames later" : "";
                var offsets = reference.Zip(skipped)
                    .Where(p => p.First.Count > 0 && p.Second.Count > 0)
                    .Select(p => Offset(p.First[0], p.Second[0]))
                    .ToArray();
                table.Add($"Skipping cost, k = {k}, {name}", offsets.Length == 0 ? "-" : $"{offsets.Average():F1}", "% eye dist.",
                    $"mean offset of the main face's eye midpoint from k = 1 (max {(offsets.Length == 0 ? 0 : offsets.Max()):F1}%); " +
                    $"{missed} frames missing a face, {extra} with a stale face{lateSecond}");
            }
        }
    }

    /// <summary>Runs decode → detect (every k-th frame) → track and returns each frame's followed poses, the largest first.</summary>
    private static List<List<FacePose>> Follow(string video, int k)
    {
        var options = new SageFaceExtractionOptions { DetectEveryFrames = k };
        using var detector = new BlazeFaceDetector(SageFaceDetectorModel.BlazeFaceFullRange, options.MinDetectionScore, options.SuppressionOverlap, 2);
        using var reader = VideoFrameReader.Open(video, GlobalFFOptions.Current, options.MaxDecodeSize);
        using var processor = new FaceFrameProcessor(detector, options);
        var poses = new List<List<FacePose>>();
        while (reader.Next() is { } frame)
        {
            processor.Process(frame);
            poses.Add([.. processor.Tracks.Where(t => t.Missed == 0).Select(t => t.Pose).OrderByDescending(p => p.Box.Width * p.Box.Height)]);
        }
        return poses;
    }

    private static int? FirstFrameWith(List<List<FacePose>> poses, int faces)
    {
        var index = poses.FindIndex(p => p.Count >= faces);
        return index < 0 ? null : index;
    }

    /// <summary>The distance between two poses' eye midpoints, as a percentage of the reference's eye distance.</summary>
    private static double Offset(FacePose reference, FacePose other)
    {
        static (float X, float Y) Mid(FacePose p) => ((p.LeftEye.X + p.RightEye.X) / 2, (p.LeftEye.Y + p.RightEye.Y) / 2);
        var (a, b) = (Mid(reference), Mid(other));
        var eyes = Math.Max(1, Math.Sqrt(Math.Pow(reference.RightEye.X - reference.LeftEye.X, 2) + Math.Pow(reference.RightEye.Y - reference.LeftEye.Y, 2)));
        return 100 * Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)) / eyes;
    }

    /// <summary>
    /// Runs the chain once on <paramref name="video"/> with empty caches the way a user scores a video (the model saved with its
    /// featurizers, loaded with <see cref="SageModel.LoadWithFeaturizers"/>, a row holding only the file) and prints the peak
    /// resident memory. The model is trained and saved by a child process, so that this process's peak is the user's path alone
    /// (training loads TorchSharp, which a user scoring a saved model never does). <paramref name="stock"/> scores with ML.NET's
    /// OnnxTransformer in one run per video, as before windows.
    /// </summary>
    private static int MeasureMemory(string video, int every, bool stock)
    {
        var folder = Directory.CreateTempSubdirectory("sage-video-memory-").FullName;
        try
        {
            var modelPath = Path.Combine(folder, "model.zip");
            ChildProcess.Run("video", "--save-model", modelPath, "--every", $"{every}");
            var ml = new MLContext(seed: 1);
            var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = video }]);
            using var sampler = new MemorySampler();
            using var loaded = SageModel.LoadWithFeaturizers(ml, modelPath, out _, cacheFolder: Path.Combine(folder, "cache"));
            var steps = loaded.ToArray();
            var scorer = (SageWindowedScorer)steps[^1];
            var model = stock ? new TransformerChain<ITransformer>([.. steps[..^1], scorer.Onnx]) : loaded;
            var clock = Stopwatch.StartNew();
            var frames = Touch(model.Transform(rows), "PredictedValence");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ChildProcess.PeakResidentMegabytes()} {frames:N0} frames at {frames / clock.Elapsed.TotalSeconds:N0} frames/s, {(stock ? "one ONNX run per video" : $"ONNX windows of {scorer.Windows.ClipsPerWindow} clips")}; {sampler.Summary()}"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Trains the tiny SAGE model and saves it to <paramref name="modelPath"/> with face extraction (every k-th frame), the face and the audio featurizer.</summary>
    private static int SaveModel(string modelPath, int every)
    {
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = "schema-only.mp4" }]);
        using var extraction = ml.Transforms.ExtractFaces(Options(Path.GetDirectoryName(modelPath)!, every, SageFaceDetectorModel.BlazeFaceFullRange)).Fit(rows);
        var extracted = extraction.Transform(rows);
        using var faces = ml.Transforms.FeaturizeFaces().Fit(extracted);
        using var audio = ml.Transforms.FeaturizeAudio().Fit(extracted);
        using var sage = TrainTiny(ml, faces.FeatureSize, audio.FeatureSize);
        SageModel.Save(ml, sage, rows.Schema, modelPath, faces, audio, extraction);
        return 0;
    }

    /// <summary>
    /// Scores one synthetic row of <paramref name="frames"/> frames (Dv 512, Da 128) with the trained SageTransformer (window by window)
    /// or, with <paramref name="stock"/>, the model saved and loaded back by ML.NET (one run per video), and prints peak memory.
    /// </summary>
    private static int MeasureScoringMemory(int frames, bool stock)
    {
        var folder = Directory.CreateTempSubdirectory("sage-scoring-memory-").FullName;
        try
        {
            var ml = new MLContext(seed: 1);
            var path = Path.Combine(folder, "model.zip");
            var row = SyntheticVideoFeatures.Create(ml, 1, 512, 128, minFrames: frames, maxFrames: frames);
            var sage = TrainTiny(ml, 512, 128);
            ml.Model.Save(sage, row.Schema, path);
            ITransformer loaded = sage;
            if (stock)
            {
                sage.Dispose();
                loaded = SageModel.Load(ml, path, out _);
            }
            GC.Collect();
            var before = ChildProcess.PeakResidentMegabytes();
            using var sampler = new MemorySampler();
            var clock = Stopwatch.StartNew();
            Touch(loaded.Transform(row), "PredictedValence");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ChildProcess.PeakResidentMegabytes()} {frames:N0} frames in {clock.Elapsed.TotalSeconds:N1} s; peak before scoring {before} MB; {sampler.Summary()}"));
            (loaded as IDisposable)?.Dispose();
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A SAGE model of the right widths trained for one epoch on a few synthetic videos: serving cost does not depend on its weights.</summary>
    private static SageTransformer TrainTiny(MLContext ml, int visual, int audio) =>
        ml.Transforms.Sage(new SageOptions { VisualFeatureSize = visual, AudioFeatureSize = audio, MaxEpochs = 1 })
            .Fit(SyntheticVideoFeatures.Create(ml, 4, visual, audio, minFrames: 100, maxFrames: 200));

    private static SageFaceExtractionOptions Options(string folder, int every, SageFaceDetectorModel model) => new()
    {
        CacheFolder = Path.Combine(folder, "crops-" + Guid.NewGuid().ToString("N")[..8]),
        DetectEveryFrames = every,
        DetectorModel = model,
        DetectorThreads = 2,
    };

    /// <summary>Reads one column of every row, which makes the lazy transforms run, and returns the last row's length.</summary>
    private static int Touch(IDataView data, string column)
    {
        using var cursor = data.GetRowCursor([data.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[column]);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
        }
        return value.Length;
    }

    /// <summary>The astronaut photograph, fetched and checked by eng/astronaut.sh.</summary>
    private static string Photo()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Sage.MLNet.sln")))
        {
            root = root.Parent;
        }
        var repository = root?.FullName ?? throw new InvalidOperationException("the video benchmark runs from the repository (it needs eng/astronaut.sh)");
        var photo = Path.Combine(repository, "artifacts", "media", "astronaut.png");
        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(repository, "eng", "astronaut.sh"), photo]) { RedirectStandardOutput = true })!;
        script.StandardOutput.ReadToEnd();
        script.WaitForExit();
        return script.ExitCode == 0 ? photo : throw new InvalidOperationException("eng/astronaut.sh could not fetch the test photograph");
    }

    /// <summary>The speed video: the face (240 px) drifting over the frame, a tone that comes and goes for audio.</summary>
    private static string MakeVideo(string folder, string photo, string name, double seconds) =>
        FFMpegVideo(folder, photo, name, "[1:v]scale=240:240[p];[0:v][p]overlay=x='200+150*sin(2*PI*t/7)':y='60+40*sin(2*PI*t/5)'", seconds);

    private static string FFMpegVideo(string folder, string photo, string name, string filter, double seconds)
    {
        var path = Path.Combine(folder, name);
        var arguments = $"-y -v error -f lavfi -i color=c=black:s={Width}x{Height}:r={Rate} -loop 1 -framerate {Rate} -i \"{photo}\" " +
            "-f lavfi -i \"sine=frequency=300:beep_factor=3:sample_rate=16000\" " +
            $"-filter_complex \"{filter}[v]\" -map \"[v]\" -map 2:a -t {seconds.ToString(CultureInfo.InvariantCulture)} -r {Rate} " +
            $"-c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac \"{path}\"";
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", arguments) { RedirectStandardError = true })!;
        var errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        return ffmpeg.ExitCode == 0 ? path : throw new InvalidOperationException($"ffmpeg could not make {name}: {errors}");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";
    }

    private sealed class ExtractedRow
    {
        public float[] FaceFound { get; set; } = [];
    }
}

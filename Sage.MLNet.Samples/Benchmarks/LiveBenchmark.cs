using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Sage.MLNet.Samples.Live;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Synthetic;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>benchmark live</c> command: plays a 640 × 360, 25 fps video of a moving face with sound at its own speed into
/// <see cref="SageModel.OpenLive"/> (the default network and encoders: ResNet18 on 112 × 112 crops, 64 log-mel bands,
/// 300-frame window) and prints whether it kept up, the delay percentiles, and memory over the run.
/// </summary>
internal static class LiveBenchmark
{
    internal const int Width = 640;
    internal const int Height = 360;
    internal const int Rate = 25;

    /// <summary>Returns the <c>live</c> subcommand of <c>benchmark</c>.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds of stream (the issue's memory check: 1800).", DefaultValueFactory = _ => 120 };
        var quick = new Option<bool>("--short") { Description = "CI size: 20 s of stream." };
        var model = new Option<FileInfo?>("--model") { Description = "A model saved with its featurizers; default: a default-size network trained for one epoch on synthetic features (its speed, not its accuracy, is measured)." };
        var lookahead = new Option<int>("--lookahead") { Description = "Lookahead in frames.", DefaultValueFactory = _ => SageLiveOptions.DefaultLookaheadFrames };
        var command = new Command("live", "Score a 640 × 360, 25 fps face video live at its own speed: drops, delay percentiles, memory over time.")
        {
            seconds, quick, model, lookahead,
        };
        command.SetAction(parse => Run(parse.GetValue(quick) ? 20 : parse.GetValue(seconds), parse.GetValue(model), parse.GetValue(lookahead)));
        return command;
    }

    private static int Run(double seconds, FileInfo? modelFile, int lookahead)
    {
        var root = Directory.CreateTempSubdirectory("sage-live-benchmark-").FullName;
        try
        {
            Console.WriteLine($"{Machine.Describe()}; {Machine.Load()}.");
            var video = MakeVideo(root);
            var modelPath = modelFile?.FullName ?? MakeModel(root);
            Console.WriteLine($"Live: {Width} × {Height} at {Rate} fps for {seconds:0} s, lookahead {lookahead} frames, model {(modelFile is null ? "default size, untrained" : modelFile.Name)}.");
            // The predictor is opened before ffmpeg starts, as the live command does: ffmpeg's -re would otherwise send the
            // frames of the seconds the model took to open in one burst (FFMpegLiveSource.Open).
            using var predictor = SageModel.OpenLive(new MLContext(seed: 1), modelPath, new SageLiveOptions { LookaheadFrames = lookahead, FramesPerSecond = Rate });
            using var source = FFMpegLiveSource.Open(video, realTime: true, TimeSpan.FromSeconds(10), loop: true);
            var delays = new List<double>();
            var dropped = new List<(int Frame, double Time)>();
            var firstTime = double.NaN;
            var memory = new List<(double Seconds, double WorkingSetMb, double ManagedMb)>();
            var clock = Stopwatch.StartNew();
            var cpuBefore = CpuSeconds();
            var reader = Task.Run(async () =>
            {
                await foreach (var r in predictor.ReadResultsAsync())
                {
                    delays.Add(r.Delay.TotalMilliseconds);
                    firstTime = double.IsNaN(firstTime) ? r.Time : firstTime;
                    if (r.Dropped)
                    {
                        dropped.Add((r.Frame, r.Time));
                    }
                }
            });
            var nextSample = 0.0;
            while (source.Next())
            {
                predictor.Push(source.Time, source.Rgba, source.Width, source.Height, source.TakeAudio());
                if (clock.Elapsed.TotalSeconds >= nextSample)
                {
                    using var self = Process.GetCurrentProcess();
                    // Live managed memory: after a full collection, so garbage not yet collected does not read as growth.
                    memory.Add((clock.Elapsed.TotalSeconds, self.WorkingSet64 / 1e6, GC.GetTotalMemory(forceFullCollection: true) / 1e6));
                    nextSample += Math.Max(1, seconds / 20);
                }
                if (source.Time - source.FirstTime >= seconds)
                {
                    break;
                }
            }
            predictor.Complete();
            reader.GetAwaiter().GetResult();
            var cpu = CpuSeconds() - cpuBefore;
            Report(predictor, delays, memory, clock.Elapsed, lookahead);
            if (dropped.Count > 0)
            {
                // Which frames: a burst at the start (the source, the first runs) reads differently from drops spread over the run.
                Console.WriteLine("Dropped frames (frame at its stream time): " + string.Join(", ", dropped.Take(30).Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Frame} at {d.Time - firstTime:0.00} s"))) +
                    (dropped.Count > 30 ? $", ... ({dropped.Count} in all)" : "") + ".");
            }
            // CPU time, unlike wall time, does not count the waits of a busy machine: what the work would need of free cores.
            var perFrame = 1000 * cpu / Math.Max(1, predictor.FramesScored);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"CPU: {cpu:0.0} s over {clock.Elapsed.TotalSeconds:0.0} s wall ({cpu / clock.Elapsed.TotalSeconds:0.00} cores busy); {perFrame:0} ms of CPU per featurised frame, network runs included: " +
                $"{Rate} fps needs {perFrame * Rate / 1000:0.00} cores."));
            Stages(predictor, cpu);
            NetworkCost(modelPath, predictor.ContextFrames);
            Console.WriteLine($"After the run: {Machine.Load()}.");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    /// <summary>Prints each stage's wall time per featurised frame on the predictor's thread and its share of the process's CPU time.</summary>
    private static void Stages(SageLivePredictor predictor, double cpuSeconds)
    {
        var frames = Math.Max(1, predictor.FramesScored);
        var faces = predictor.FaceTimings;
        var live = predictor.Timings;
        (string Name, TimeSpan Time)[] stages =
        [
            ($"detect ({faces.DetectedFrames} frames)", faces.Detect), ("track", faces.Track), ("align", faces.Align), ("crop JPEG", faces.Encode),
            ("face encoder", live.FaceEncode), ("audio", live.Audio), ("assemble", live.Assemble), ("TCN", live.Tcn),
            ($"window network ({predictor.WindowsScored} runs)", live.Window), ("emit", live.Emit),
        ];
        var total = stages.Sum(s => s.Time.TotalSeconds);
        Console.WriteLine("Stages, ms per featurised frame (wall time on the predictor's thread; share of process CPU): " + string.Join(", ", stages.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Name} {1000 * s.Time.TotalSeconds / frames:0.0} ({100 * s.Time.TotalSeconds / cpuSeconds:0} %)"))) +
            string.Create(CultureInfo.InvariantCulture, $"; the rest of the CPU (decode pipe, copies, ONNX Runtime threads beyond the first, garbage collection): {1000 * (cpuSeconds - total) / frames:0.0} ms ({100 * (cpuSeconds - total) / cpuSeconds:0} %)."));
    }

    /// <summary>
    /// Times one network run on a full window both ways, on the same features: the whole saved graph (TCNs included, as
    /// before the TCN outputs were kept per frame) against the per-frame TCN on one run's new frames (k + 2R) plus the
    /// window part; CPU time of the process, so threads that wait do not count.
    /// </summary>
    private static void NetworkCost(string modelPath, int frames)
    {
        var graph = Sage.MLNet.Live.LiveModel.ReadNetworkGraph(modelPath);
        using var split = new Sage.MLNet.Live.LiveNetwork(graph, Environment.ProcessorCount);
        using var whole = new Sage.MLNet.Live.LiveNetwork(graph, Environment.ProcessorCount, perFrameTcn: false);
        var config = split.Config;
        var random = new Random(1);
        var visual = Enumerable.Range(0, frames * config.VisualFeatureSize).Select(_ => (float)random.NextDouble()).ToArray();
        var audio = Enumerable.Range(0, frames * config.AudioFeatureSize).Select(_ => (float)random.NextDouble()).ToArray();
        float[] x = new float[frames * split.FusedSize], v = new float[frames], a = new float[frames], r = new float[frames];
        var segment = 2 + 2 * split.Radius;
        const int runs = 20;
        double Time(Action run)
        {
            run();
            var before = CpuSeconds();
            for (var i = 0; i < runs; i++)
            {
                run();
            }
            return 1000 * (CpuSeconds() - before) / runs;
        }
        var wholeMs = Time(() => whole.RunWhole(visual, audio, frames, v, a, r));
        var tcnMs = split.PerFrameTcn ? Time(() => split.RunTcn(visual, audio, segment, x)) : double.NaN;
        var windowMs = split.PerFrameTcn ? Time(() => split.RunWindow(x, frames, v, a, r)) : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Network per run on a {frames}-frame window, ms of CPU: whole graph {wholeMs:0.0}; per-frame TCN on {segment} frames {tcnMs:0.0} + window part {windowMs:0.0} = {tcnMs + windowMs:0.0}."));
    }

    internal static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static void Report(SageLivePredictor predictor, List<double> delays, List<(double Seconds, double WorkingSetMb, double ManagedMb)> memory, TimeSpan elapsed, int lookahead)
    {
        delays.Sort();
        double P(double q) => delays.Count == 0 ? double.NaN : delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(q * delays.Count) - 1)];
        var budget = lookahead * 1000.0 / Rate + 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Frames in {predictor.FramesIn:N0}, scored {predictor.FramesScored:N0}, dropped {predictor.FramesDropped:N0} ({100.0 * predictor.FramesDropped / Math.Max(1, predictor.FramesIn):0.0} %); network runs {predictor.WindowsScored:N0}; {elapsed.TotalSeconds:0} s wall."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Delay from arrival to result: p50 {P(0.5):0} ms, p95 {P(0.95):0} ms, p99 {P(0.99):0} ms, max {P(1):0} ms; target p95 <= lookahead + 100 ms = {budget:0} ms: {(P(0.95) <= budget ? "met" : "missed")}."));
        Console.WriteLine($"Real time with no drops: {(predictor.FramesDropped == 0 ? "yes" : "no")}.");
        Console.WriteLine("Memory (s: working set MB / live managed MB): " + string.Join(", ",
            memory.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Seconds:0}: {m.WorkingSetMb:0}/{m.ManagedMb:0}"))));
        // The slope over the second half of the run, when the ring, queues and ONNX Runtime's arenas have filled.
        var settled = memory.Where(m => m.Seconds >= memory[^1].Seconds / 2).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Memory slope over the second half ({settled.Count} samples): working set {Slope(settled, m => m.WorkingSetMb):+0.00;-0.00} MB/min, live managed {Slope(settled, m => m.ManagedMb):+0.00;-0.00} MB/min."));
    }

    /// <summary>The least-squares slope of <paramref name="value"/> against time, per minute.</summary>
    private static double Slope(List<(double Seconds, double WorkingSetMb, double ManagedMb)> samples, Func<(double Seconds, double WorkingSetMb, double ManagedMb), double> value)
    {
        if (samples.Count < 2)
        {
            return double.NaN;
        }
        var meanT = samples.Average(m => m.Seconds);
        var meanV = samples.Average(value);
        var covariance = samples.Sum(m => (m.Seconds - meanT) * (value(m) - meanV));
        var variance = samples.Sum(m => (m.Seconds - meanT) * (m.Seconds - meanT));
        return 60 * covariance / variance;
    }

    /// <summary>Writes a 12-s looping clip: the real-face photograph (eng/astronaut.sh) drifting and zooming on black, with a wandering tone.</summary>
    internal static string MakeVideo(string root)
    {
        var photo = Photo();
        var path = Path.Combine(root, "face.mp4");
        var face = photo is null
            ? $"-f lavfi -i testsrc2=size=240x240:rate={Rate}"
            : $"-loop 1 -framerate {Rate} -i \"{photo}\"";
        if (photo is null)
        {
            Console.WriteLine("No face photograph (eng/astronaut.sh could not fetch it): a test pattern stands in, so faces are looked for but none is encoded.");
        }
        Run("ffmpeg", $"-y -v error -f lavfi -i color=c=black:s={Width}x{Height}:r={Rate} {face} " +
            "-f lavfi -i \"aevalsrc='(0.3+0.25*sin(2*PI*t/2.3))*sin(2*PI*(260+120*sin(2*PI*t/3.1))*t)':s=44100\" " +
            "-filter_complex \"[1:v]scale=w='200+80*sin(2*PI*t/3.7)':h='200+80*sin(2*PI*t/3.7)':eval=frame[p];[0:v][p]overlay=x='200+120*sin(2*PI*t/5.3)':y=20:shortest=1[v]\" " +
            $"-map \"[v]\" -map 2:a -t 12 -r {Rate} -c:v libx264 -preset ultrafast -g {Rate} -pix_fmt yuv420p -c:a aac \"{path}\"");
        return path;
    }

    private static string? Photo()
    {
        var script = Path.Combine("eng", "astronaut.sh");
        if (!File.Exists(script))
        {
            return null;
        }
        try
        {
            return Path.GetFullPath(Run("bash", $"{script}").Trim());
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Trains the default network for one epoch on synthetic features and saves it with the default face extraction and featurizers (serve needs the extraction).</summary>
    internal static string MakeModel(string root)
    {
        var ml = new MLContext(seed: 1);
        var videos = ml.Data.LoadFromEnumerable(Array.Empty<VideoRow>());
        using var extraction = ml.Transforms.ExtractFaces().Fit(videos);
        var raw = extraction.Transform(videos);
        using var faces = ml.Transforms.FeaturizeFaces().Fit(raw);
        using var audio = ml.Transforms.FeaturizeAudio().Fit(raw);
        var features = SyntheticVideoFeatures.Create(ml, videos: 2, faces.FeatureSize, audio.FeatureSize, minFrames: 300, maxFrames: 300);
        using var model = ml.Transforms.Sage(new SageOptions { VisualFeatureSize = faces.FeatureSize, AudioFeatureSize = audio.FeatureSize, MaxEpochs = 1 }).Fit(features);
        var path = Path.Combine(root, "sage.zip");
        SageModel.Save(ml, model, videos.Schema, path, faces, audio, extraction);
        return path;
    }

    internal static string Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {errors}");
    }

    /// <summary>The one raw column face extraction reads: the schema the model is fitted on (no rows).</summary>
    private sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";
    }
}

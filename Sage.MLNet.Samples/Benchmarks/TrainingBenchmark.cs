using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Export;
using Sage.MLNet.Modeling;
using Sage.MLNet.Native;
using Sage.MLNet.Synthetic;
using TorchSharp;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// Measures the default network (Dv = 512, Da = 768): training frames/s and its share of the FP32 peak,
/// inference frames/s through TorchSharp and through the exported ONNX graph, and peak memory while
/// training on 100 and on 1,000 streamed synthetic videos (each in its own process).
/// </summary>
internal static class TrainingBenchmark
{
    private const int VisualSize = 512;
    private const int AudioSize = 768;

    /// <summary>Makes <paramref name="command"/> (the benchmark program's root) measure the default network.</summary>
    public static void AddTo(Command command)
    {
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp and ONNX Runtime.", DefaultValueFactory = _ => 2 };
        var peak = new Option<double>("--peak-gflops")
        {
            Description = "The machine's FP32 peak in GFLOP/s. Default: cores × 32 FLOP/cycle × the clock /proc/cpuinfo reports (230 for 2 Zen 4 cores at 3.66 GHz).",
            DefaultValueFactory = _ => Math.Round(Machine.PeakGflops()),
        };
        var memoryVideos = new Option<int>("--memory-videos")
        {
            Description = "Internal: measure peak memory of one training run on this many streamed videos.",
            Hidden = true,
        };
        command.Options.Add(threads);
        command.Options.Add(peak);
        command.Options.Add(memoryVideos);
        command.SetAction(parse =>
        {
            var videos = parse.GetValue(memoryVideos);
            return videos > 0 ? MeasureMemory(videos, parse.GetValue(threads)) : Run(parse.GetValue(threads), parse.GetValue(peak));
        });
    }

    private static int Run(int threads, double peakGflops)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var ml = new MLContext(seed: 1);
        var options = new SageOptions { VisualFeatureSize = VisualSize, AudioFeatureSize = AudioSize, MaxEpochs = 2, TrainingThreads = threads };
        var config = SageNetworkConfig.From(options);
        Console.WriteLine($"{Machine.Describe()}. Default network, Dv {VisualSize}, Da {AudioSize}, {threads} threads; " +
            $"{SageNetworkCost.ForwardFlopsPerFrame(config) / 1e6:F1} MFLOP forward per frame.");

        // Training: rows held in memory so the timing excludes generating them.
        var trainRows = ml.Data.CreateEnumerable<Row>(
            SyntheticVideoFeatures.Create(ml, 24, VisualSize, AudioSize, minFrames: 900, maxFrames: 1100), reuseRowObject: false).ToList();
        var epochs = new List<SageTrainingProgress>();
        options.Progress = new Collect(epochs);
        using (ml.Transforms.Sage(options).Fit(ml.Data.LoadFromEnumerable(trainRows)))
        {
        }
        var trainFps = epochs[^1].FramesPerSecond;        // the second epoch: no warm-up inside
        var gflops = trainFps * SageNetworkCost.TrainingFlopsPerFrame(config) / 1e9;
        Console.WriteLine($"Training:            {trainFps,9:N0} frames/s  {gflops:F0} GFLOP/s = {100 * gflops / peakGflops:F0}% of {peakGflops:F0} GFLOP/s peak");

        // Inference on the same videos, whole videos of ~1,000 frames.
        var frames = trainRows.Sum(r => r.VisualFeatures.Length / VisualSize);
        torch.manual_seed(1);
        using var network = new SageNetwork(config);
        var predictor = new SageNetworkPredictor(network, torch.CPU);
        foreach (var row in trainRows.Take(2))
        {
            predictor.Predict(row.VisualFeatures, row.AudioFeatures, row.VisualFeatures.Length / VisualSize);   // warm-up
        }
        var clock = Stopwatch.StartNew();
        foreach (var row in trainRows)
        {
            predictor.Predict(row.VisualFeatures, row.AudioFeatures, row.VisualFeatures.Length / VisualSize);
        }
        var torchFps = frames / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"Inference TorchSharp: {torchFps,8:N0} frames/s");

        var names = SageServedModel.Names(options);
        var data = ml.Data.LoadFromEnumerable(trainRows);
        using var onnx = ml.Transforms.ApplyOnnxModel(
            [names.PredictedValence, names.PredictedArousal, names.Reliability], [names.VisualFeatures, names.AudioFeatures],
            new MemoryStream(SageOnnxExporter.Export(network, names))).Fit(data);
        Consume(onnx.Transform(ml.Data.LoadFromEnumerable(trainRows.Take(2))), names.PredictedValence);     // warm-up
        clock.Restart();
        Consume(onnx.Transform(data), names.PredictedValence);
        var onnxFps = frames / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"Inference ONNX:       {onnxFps,8:N0} frames/s  ({onnxFps / torchFps:F2}× TorchSharp)");

        foreach (var videos in new[] { 100, 1000 })
        {
            Console.WriteLine($"Training memory, {videos,5} videos: {ChildProcess.Run("--memory-videos", $"{videos}", "--threads", $"{threads}")}");
        }
        return 0;
    }

    /// <summary>Reads a column of every row, which makes the lazy ONNX transform run.</summary>
    private static void Consume(IDataView scored, string column)
    {
        using var cursor = scored.GetRowCursor([scored.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema[column]);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
        }
    }

    /// <summary>Trains one epoch on streamed videos (generated on the fly, never all in memory) and prints the peak resident memory.</summary>
    private static int MeasureMemory(int videos, int threads)
    {
        var ml = new MLContext(seed: 1);
        var data = SyntheticVideoFeatures.Create(ml, videos, VisualSize, AudioSize, minFrames: 300, maxFrames: 600);
        var clock = Stopwatch.StartNew();
        using (ml.Transforms.Sage(new SageOptions { VisualFeatureSize = VisualSize, AudioFeatureSize = AudioSize, MaxEpochs = 1, TrainingThreads = threads }).Fit(data))
        {
        }
        Console.WriteLine($"peak resident memory {ChildProcess.PeakResidentMegabytes():N0} MB (one epoch, {clock.Elapsed.TotalSeconds:F0} s)");
        return 0;
    }

    private sealed class Collect(List<SageTrainingProgress> reports) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value) => reports.Add(value);
    }

    private sealed class Row
    {
        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

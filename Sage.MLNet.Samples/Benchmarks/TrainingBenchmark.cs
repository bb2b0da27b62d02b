using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Export;
using Sage.MLNet.IO;
using Sage.MLNet.Modeling;
using Sage.MLNet.Native;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Synthetic;
using TorchSharp;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// Measures the default network (Dv = 512, Da = 768): training frames/s, inference frames/s through TorchSharp and
/// through the exported ONNX graph in alternating rounds, each as a share of its runtime's matrix-product ceiling
/// measured in the same run (<see cref="Ceiling"/>), and peak memory while
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
        var rounds = new Option<int>("--rounds")
        {
            Description = "Inference rounds, each timing TorchSharp, then ONNX, then both runtimes' matrix-product ceilings; the medians are reported.",
            DefaultValueFactory = _ => 7,
        };
        var memoryVideos = new Option<int>("--memory-videos")
        {
            Description = "Internal: measure peak memory of one training run on this many streamed videos.",
            Hidden = true,
        };
        var inferenceOnly = new Option<bool>("--inference-only") { Description = "Skip the training speed and memory measurements: time inference only (a short mode)." };
        command.Options.Add(threads);
        command.Options.Add(rounds);
        command.Options.Add(inferenceOnly);
        command.Options.Add(memoryVideos);
        command.SetAction(parse =>
        {
            var videos = parse.GetValue(memoryVideos);
            return videos > 0 ? MeasureMemory(videos, parse.GetValue(threads)) : Run(parse.GetValue(threads), Math.Max(1, parse.GetValue(rounds)), parse.GetValue(inferenceOnly));
        });
    }

    private static int Run(int threads, int rounds, bool inferenceOnly)
    {
        TorchSharpRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var ml = new MLContext(seed: 1);
        var options = new SageOptions { VisualFeatureSize = VisualSize, AudioFeatureSize = AudioSize, MaxEpochs = 2, TrainingThreads = threads };
        var config = SageNetworkConfig.From(options);
        Console.WriteLine($"{Machine.Describe()}; {Machine.Load()}. Default network, Dv {VisualSize}, Da {AudioSize}, {threads} threads; " +
            $"{SageNetworkCost.ForwardFlopsPerFrame(config) / 1e6:F1} MFLOP forward per frame.");
        using var ceiling = new Ceiling(onnxThreads: 0);

        // Training: rows held in memory so the timing excludes generating them.
        var trainRows = ml.Data.CreateEnumerable<Row>(
            SyntheticVideoFeatures.Create(ml, 24, VisualSize, AudioSize, minFrames: 900, maxFrames: 1100), reuseRowObject: false).ToList();
        if (!inferenceOnly)
        {
            var epochs = new List<SageTrainingProgress>();
            options.Progress = new Collect(epochs);
            using (ml.Transforms.Sage(options).Fit(ml.Data.LoadFromEnumerable(trainRows)))
            {
            }
            var trainFps = epochs[^1].FramesPerSecond;        // the second epoch: no warm-up inside
            var torchCeiling = ceiling.TorchGflops();          // right after, under the same load
            var gflops = trainFps * SageNetworkCost.TrainingFlopsPerFrame(config) / 1e9;
            Console.WriteLine($"Training:              {trainFps,8:N0} frames/s  {gflops:F0} GFLOP/s = {gflops / torchCeiling:P0} of TorchSharp's {torchCeiling:F0} GFLOP/s matrix product");
        }

        // Inference on whole videos of ~1,000 frames, TorchSharp and ONNX alternating, so load from elsewhere hits both alike.
        // The ONNX line times what SageTransformer serves on the CPU: the served model, whose windowed scorer runs windows of
        // clips through a session of its own; the plain OnnxTransformer (ML.NET's default session, one run per video) is for reference.
        var served = trainRows.Take(12).ToList();
        var frames = served.Sum(r => r.VisualFeatures.Length / VisualSize);
        torch.manual_seed(1);
        using var network = new SageNetwork(config);
        var predictor = new SageNetworkPredictor(network, torch.CPU);
        var names = SageServedModel.Names(options);
        var data = ml.Data.LoadFromEnumerable(served);
        using var graphFile = TemporaryFile.Write("graph", ".onnx", SageOnnxExporter.Export(network, names));
        using var servedModel = SageServedModel.FromNetwork(ml.Transforms, options, network, data);
        using var onnx = ml.Transforms.ApplyOnnxModel(         // ONNX Runtime's default session, one run per whole video
            [names.PredictedValence, names.PredictedArousal, names.Reliability], [names.VisualFeatures, names.AudioFeatures],
            graphFile.Path).Fit(data);
        void ServeTorch()
        {
            foreach (var row in served)
            {
                predictor.Predict(row.VisualFeatures, row.AudioFeatures, row.VisualFeatures.Length / VisualSize);
            }
        }
        void ServeOnnx() => Consume(servedModel.Transform(data), names.PredictedValence);
        void ServePlain() => Consume(onnx.Transform(data), names.PredictedValence);
        ServeTorch();       // warm-up
        ServeOnnx();
        ServePlain();
        Spread torchFps = new(), onnxFps = new(), plainFps = new(), ratio = new(), plainRatio = new(), torchShare = new(), onnxShare = new(), torchGflops = new(), onnxGflops = new();
        var flopsPerFrame = SageNetworkCost.ForwardFlopsPerFrame(config) / 1e9;
        for (var round = 0; round < rounds; round++)
        {
            var torchRate = frames / Timed.Seconds(ServeTorch);
            var onnxRate = frames / Timed.Seconds(ServeOnnx);
            var plainRate = frames / Timed.Seconds(ServePlain);
            plainFps.Add(plainRate);
            plainRatio.Add(plainRate / torchRate);
            var (torchMax, onnxMax) = (ceiling.TorchGflops(), ceiling.OnnxGflops());
            torchFps.Add(torchRate);
            onnxFps.Add(onnxRate);
            ratio.Add(onnxRate / torchRate);
            torchGflops.Add(torchMax);
            onnxGflops.Add(onnxMax);
            torchShare.Add(100 * torchRate * flopsPerFrame / torchMax);
            onnxShare.Add(100 * onnxRate * flopsPerFrame / onnxMax);
        }
        Console.WriteLine($"Inference TorchSharp:  {torchFps} frames/s = {torchShare}% of its matrix product, {torchGflops} GFLOP/s ({rounds} rounds, median (min–max))");
        Console.WriteLine($"Inference ONNX:        {onnxFps} frames/s = {onnxShare}% of its matrix product, {onnxGflops} GFLOP/s (the served model: windowed scorer, own session)");
        Console.WriteLine($"ONNX / TorchSharp:     {ratio.ToString("F2")}× (median of the {rounds} rounds' ratios); {Machine.Load()}");
        Console.WriteLine($"Plain OnnxTransformer: {plainFps} frames/s, {plainRatio.ToString("F2")}× TorchSharp (reference: ML.NET's default session, one run per video)");
        if (inferenceOnly)
        {
            return 0;
        }

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
        using var sampler = new MemorySampler();
        using (ml.Transforms.Sage(new SageOptions { VisualFeatureSize = VisualSize, AudioFeatureSize = AudioSize, MaxEpochs = 1, TrainingThreads = threads }).Fit(data))
        {
        }
        Console.WriteLine($"{sampler.Summary()} (one epoch, {clock.Elapsed.TotalSeconds:F0} s, {Machine.Load()})");
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

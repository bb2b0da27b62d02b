using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Synthetic;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// <c>fusion</c>: training and serving frames/s of each fusion variant against <see cref="SageFusion.ReliabilityGuided"/>,
/// on the default network's shape (Dv 512, Da 128: the default encoders), the variants interleaved so that load from elsewhere hits all alike.
/// </summary>
/// <remarks>
/// Each rate is given twice: per second of wall-clock time, and per second of this process's CPU time (user + system), which
/// a shared machine's load disturbs far less and which is what the comparison between variants needs.
/// </remarks>
internal static class FusionBenchmark
{
    private const int VisualSize = 512;
    private const int AudioSize = 128;

    /// <summary>Returns the <c>fusion</c> subcommand.</summary>
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "CPU threads for TorchSharp.", DefaultValueFactory = _ => 2 };
        var isShort = new Option<bool>("--short") { Description = "Fewer videos and rounds (for CI): the same columns, wider spread." };
        var command = new Command("fusion", "Training and serving frames/s of each fusion variant against ReliabilityGuided.") { threads, isShort };
        command.SetAction(parse => Run(parse.GetValue(threads), parse.GetValue(isShort)));
        return command;
    }

    private static int Run(int threads, bool isShort)
    {
        var (videos, passes, rounds) = isShort ? (4, 1, 3) : (12, 3, 7);
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.CreateEnumerable<Row>(
            SyntheticVideoFeatures.Create(ml, videos, VisualSize, AudioSize, minFrames: 900, maxFrames: 1100), reuseRowObject: false).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var frames = rows.Sum(r => r.Valence.Length);
        var variants = Enum.GetValues<SageFusion>();
        Console.WriteLine($"{Machine.Describe()}; {Machine.Load()}. Default network, Dv {VisualSize}, Da {AudioSize}, {threads} threads; " +
            $"{videos} videos, {frames:N0} frames; training: second epoch, {passes} pass(es) over the variants in alternating order; serving: {rounds} rounds.");

        // Training: each pass trains every variant for two epochs and keeps the second epoch's rate; passes alternate the order.
        var training = variants.ToDictionary(v => v, _ => new Spread());
        var trainingCpu = variants.ToDictionary(v => v, _ => new Spread());
        var models = new Dictionary<SageFusion, SageTransformer>();
        try
        {
            for (var pass = 0; pass < passes; pass++)
            {
                foreach (var variant in pass % 2 == 0 ? variants : [.. variants.Reverse()])
                {
                    var epochs = new List<(SageTrainingProgress Report, TimeSpan Cpu, TimeSpan Wall)>();
                    var options = new SageOptions
                    {
                        VisualFeatureSize = VisualSize, AudioFeatureSize = AudioSize, MaxEpochs = 2, TrainingThreads = threads, Fusion = variant,
                        Progress = new Collect(epochs),
                    };
                    var model = ml.Transforms.Sage(options).Fit(data);
                    var (last, cpu, wall) = epochs[^1];
                    var (_, cpuBefore, wallBefore) = epochs[^2];
                    var epochFrames = last.FramesPerSecond * (wall - wallBefore).TotalSeconds;
                    training[variant].Add(last.FramesPerSecond);
                    trainingCpu[variant].Add(epochFrames / (cpu - cpuBefore).TotalSeconds);
                    if (models.Remove(variant, out var previous))
                    {
                        previous.Dispose();
                    }
                    models[variant] = model;
                }
            }

            // Serving: the fitted transformers (ONNX Runtime through ML.NET), one variant after another in each round.
            var serving = variants.ToDictionary(v => v, _ => new Spread());
            var servingCpu = variants.ToDictionary(v => v, _ => new Spread());
            foreach (var variant in variants)
            {
                Consume(models[variant].Transform(data));       // warm-up
            }
            for (var round = 0; round < rounds; round++)
            {
                foreach (var variant in variants)
                {
                    var cpuBefore = Environment.CpuUsage.TotalTime;
                    serving[variant].Add(frames / Timed.Seconds(() => Consume(models[variant].Transform(data))));
                    servingCpu[variant].Add(frames / (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds);
                }
            }

            var baseline = SageFusion.ReliabilityGuided;
            Console.WriteLine();
            Console.WriteLine("| Fusion | training frames/s | per CPU-s | vs ReliabilityGuided (CPU) | serving frames/s (ONNX) | per CPU-s | vs ReliabilityGuided (CPU) |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var variant in variants)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant} | {training[variant]} | {trainingCpu[variant]} | {Relative(trainingCpu[variant], trainingCpu[baseline])} | " +
                    $"{serving[variant]} | {servingCpu[variant]} | {Relative(servingCpu[variant], servingCpu[baseline])} |"));
            }
            Console.WriteLine($"(medians, (min–max) over passes or rounds; {Machine.Load()})");
            return 0;
        }
        finally
        {
            foreach (var model in models.Values)
            {
                model.Dispose();
            }
        }
    }

    private static string Relative(Spread variant, Spread baseline) =>
        string.Create(CultureInfo.InvariantCulture, $"{(variant.Median / baseline.Median - 1) * 100:+0;-0;0} %");

    /// <summary>Reads the predictions of every row, which makes the lazy ONNX transform run.</summary>
    private static void Consume(IDataView scored)
    {
        var column = scored.Schema["PredictedValence"];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
        }
    }

    /// <summary>Keeps each epoch's report with the process's CPU time and the wall-clock time when it came.</summary>
    private sealed class Collect(List<(SageTrainingProgress, TimeSpan, TimeSpan)> reports) : IProgress<SageTrainingProgress>
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        public void Report(SageTrainingProgress value) => reports.Add((value, Environment.CpuUsage.TotalTime, _clock.Elapsed));
    }

    private sealed class Row
    {
        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

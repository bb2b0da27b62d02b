using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// Face featurisation images/s at the default 112 × 112 crop and batch size: the featuriser (JPEG decode, normalisation
/// and the encoder), ONNX Runtime alone on one preprocessed batch, and decoding alone, measured in interleaved rounds
/// so that a burst of load from elsewhere hits all three alike.
/// </summary>
internal static class FaceBenchmark
{
    private const string Video = "benchmark";
    private const double GflopPerImage = 1.12;      // the packaged ResNet18 at 112² (measured-baselines note)

    /// <summary>Adds the three rates, measured on the crops of <paramref name="cropFolder"/>, to the table.</summary>
    public static void Throughput(string cropFolder, int rounds, ResultTable table)
    {
        var options = new SageFaceFeaturizerOptions();
        var files = Directory.GetFiles(cropFolder, "*.jpg").Order().ToArray();
        using var featurizer = FaceFeaturizer.Create(options);
        var normalization = PackagedResNet18.Normalization(options.ImageWidth, options.ImageHeight);
        var batch = new float[options.BatchSize * normalization.ImageSize];
        for (var i = 0; i < options.BatchSize; i++)
        {
            FaceImageReader.Read(files[i], Video, normalization, batch.AsSpan(i * normalization.ImageSize, normalization.ImageSize));
        }
        // The settings of the baseline note: two intra-op threads, every graph optimisation, nothing else changed.
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(PackagedResNet18.LoadBatchedModel(), sessionOptions);
        using var input = OrtValue.CreateTensorValueFromMemory(batch, [options.BatchSize, 3, options.ImageHeight, options.ImageWidth]);
        void RunDirectly()
        {
            using var runOptions = new RunOptions();
            session.Run(runOptions, [session.InputNames[0]], [input], session.OutputNames).Dispose();
        }

        featurizer.EncodeAll(files[..options.BatchSize], Video);        // warm-up: ORT sizes its buffers on the first runs
        RunDirectly();
        RunDirectly();
        var batches = files.Length / options.BatchSize;
        var ours = new Spread();
        var direct = new Spread();
        var decoding = new Spread();
        var ceilingShare = new Spread();
        using var ceiling = new Ceiling(onnxThreads: Environment.ProcessorCount);      // the session's threads
        var image = new float[normalization.ImageSize];
        for (var round = 0; round < rounds; round++)
        {
            ours.Add(files.Length / Timed.Seconds(() => featurizer.EncodeAll(files, Video)));
            var directRate = batches * options.BatchSize / Timed.Seconds(() =>
            {
                for (var b = 0; b < batches; b++)
                {
                    RunDirectly();
                }
            });
            direct.Add(directRate);
            ceilingShare.Add(100 * directRate * GflopPerImage / ceiling.OnnxGflops());
            decoding.Add(files.Length / Timed.Seconds(() =>
            {
                foreach (var file in files)
                {
                    FaceImageReader.Read(file, Video, normalization, image);
                }
            }));
        }
        var shape = $"{options.ImageWidth}², batch {options.BatchSize}, {files.Length} crops, {rounds} rounds";
        table.Add("Faces: featuriser (decode + encode)", ours.ToString(), "images/s", $"{shape}; {ours.Median / direct.Median:P0} of ONNX Runtime alone");
        table.Add("Faces: ONNX Runtime alone, same batch", direct.ToString(), "images/s",
            $"{ceilingShare}% of ONNX Runtime's own matrix product in the same rounds; {Environment.ProcessorCount} intra-op threads, optimisation ALL");
        table.Add("Faces: JPEG decode + normalise alone", decoding.ToString(), "images/s", "one thread");
    }

    /// <summary>
    /// Featurises one face-crop folder (meant for a child process) and prints peak memory, output size and images/s:
    /// through the public estimator, or with <paramref name="direct"/> through the featuriser alone.
    /// </summary>
    public static int MeasureMemory(string cropFolder, bool direct)
    {
        var frames = Directory.GetFiles(cropFolder, "*.jpg").Length;
        var clock = Stopwatch.StartNew();
        long values;
        if (direct)
        {
            using var featurizer = FaceFeaturizer.Create(new SageFaceFeaturizerOptions());
            values = featurizer.Featurize(cropFolder, frames).Features.Length;
        }
        else
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable([new FolderRow { FaceFolder = cropFolder, FrameCount = frames }]);
            using var model = ml.Transforms.FeaturizeFaces().Fit(data);
            values = VectorColumn.Lengths(model.Transform(data), "VisualFeatures").Single();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{ChildProcess.PeakResidentMegabytes()} {values * 4.0 / (1 << 20):F1} {frames / seconds:F0}");
        return 0;
    }

    private sealed class FolderRow
    {
        public string FaceFolder { get; set; } = "";

        public int FrameCount { get; set; }
    }
}

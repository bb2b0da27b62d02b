using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;

using Sage.MLNet.Synthetic;

namespace Sage.MLNet.Samples;

/// <summary>
/// The shortest complete use of the library: synthetic feature sequences in which the informative
/// modality switches over time, training with validation, CCC on held-out videos, save, load, predict.
/// </summary>
internal static class QuickstartCommand
{
    private const int VisualSize = 64;
    private const int AudioSize = 32;

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder for the model zip and checkpoint.",
            DefaultValueFactory = _ => new DirectoryInfo("sage-quickstart"),
        };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 8 };
        var command = new Command("quickstart", "Train SAGE on synthetic features, evaluate, save, load and predict.") { output, epochs };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(epochs)));
        return command;
    }

    private static int Run(DirectoryInfo output, int epochs)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);

        // 1. Data: one row per video; features are T × D values, labels T values (−5 = not annotated).
        var train = SyntheticVideoFeatures.Create(ml, videos: 32, VisualSize, AudioSize, seed: 1);
        var validation = SyntheticVideoFeatures.Create(ml, videos: 8, VisualSize, AudioSize, seed: 2);
        var test = SyntheticVideoFeatures.Create(ml, videos: 8, VisualSize, AudioSize, seed: 3);

        // 2. Train, keeping the epoch with the best validation CCC.
        var options = new SageOptions
        {
            VisualFeatureSize = VisualSize,
            AudioFeatureSize = AudioSize,
            MaxEpochs = epochs,
            ValidationData = validation,
            Seed = 1,
            Progress = new ConsoleProgress(),
        };
        Console.WriteLine($"Training SAGE for up to {epochs} epochs on 32 synthetic videos...");
        using var model = ml.Transforms.Sage(options).Fit(train);

        // 3. Evaluate the ABAW way: one CCC per target over all annotated frames of all test videos.
        var metrics = ml.Regression.EvaluateCcc(model.Transform(test));
        Console.WriteLine($"Held-out test: {metrics}");

        // 4. Save: the zip serves through ONNX Runtime; the checkpoint holds TorchSharp weights for fine-tuning.
        output.Create();
        var modelPath = Path.Combine(output.FullName, "sage.zip");
        var checkpointPath = Path.Combine(output.FullName, "sage.ckpt");
        ml.Model.Save(model, train.Schema, modelPath);
        model.SaveCheckpoint(checkpointPath);

        // 5. Load in a fresh context and predict one video, frame by frame.
        var serving = new MLContext();
        var loaded = SageModel.Load(serving, modelPath, out _);
        var video = serving.Data.CreateEnumerable<VideoFeatures>(test, reuseRowObject: false).First();
        using var engine = serving.Model.CreatePredictionEngine<VideoFeatures, VideoPrediction>(loaded);
        var prediction = engine.Predict(video);
        Console.WriteLine($"Video {video.VideoId}: {prediction.PredictedValence.Length} frames predicted");
        Console.WriteLine(" frame  valence (true)   arousal (true)   reliability");
        for (var t = 0; t < prediction.PredictedValence.Length; t += prediction.PredictedValence.Length / 5)
        {
            Console.WriteLine($"{t,6}  {prediction.PredictedValence[t],7:F3} ({video.Valence[t],6:F3})  " +
                $"{prediction.PredictedArousal[t],7:F3} ({video.Arousal[t],6:F3})  {prediction.Reliability[t],8:F3}");
        }
        Console.WriteLine($"Saved {modelPath} and {checkpointPath}; done in {clock.Elapsed.TotalSeconds:F0} s.");
        return 0;
    }

    /// <summary>Prints each epoch as it finishes (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class ConsoleProgress : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress p) => Console.WriteLine(
            $"  epoch {p.Epoch,2}/{p.MaxEpochs}  loss {p.TrainingLoss:F4}  " +
            (p.Validation is null ? "" : $"validation CCC {p.Validation.Mean:F4}{(p.IsBest ? " *" : "")}  ") +
            $"{p.FramesPerSecond:N0} frames/s");
    }

    private sealed class VideoFeatures
    {
        public string VideoId { get; set; } = "";

        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }

    private sealed class VideoPrediction
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] PredictedArousal { get; set; } = [];

        public float[] Reliability { get; set; } = [];
    }
}

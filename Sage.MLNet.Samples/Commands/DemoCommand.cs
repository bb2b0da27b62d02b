using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;
using Sage.MLNet.Synthetic;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>demo</c>: the main job end to end on a synthetic Aff-Wild2 copy: generate it, featurise it with the default encoders,
/// train SAGE, score held-out Test videos, save, load the saved model afresh and predict one raw video.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Returns the <c>demo</c> command with its options and action.</summary>
    public static Command Create()
    {
        var output = CommonOptions.Out("sage-demo", "Folder for the copy (data/), the feature cache (cache/), the model, metrics.json and plots/.");
        var trainVideos = new Option<int>("--train-videos") { Description = "Synthetic Train videos.", DefaultValueFactory = _ => 12 };
        var seconds = new Option<double>("--seconds") { Description = "Length of each synthetic video, in seconds.", DefaultValueFactory = _ => 12 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs (the best on Validation is kept).", DefaultValueFactory = _ => 30 };
        var command = new Command("demo", "Synthetic Aff-Wild2 -> featurise -> train SAGE -> score held-out videos -> save, reload, predict.")
        {
            output, trainVideos, seconds, epochs,
        };
        command.SetAction(parse => CommandAction.Run(() =>
            Run(RunFolder.Create(parse.GetValue(output)!.FullName), parse.GetValue(trainVideos), parse.GetValue(seconds), parse.GetValue(epochs))));
        return command;
    }

    private static int Run(RunFolder output, int trainVideos, double seconds, int epochs)
    {
        var clock = Stopwatch.StartNew();

        // 1. A synthetic copy in the real layout, kept so a second demo reuses it (and its cached features).
        var data = Path.Combine(output.Root, "data");
        if (File.Exists(Path.Combine(data, SageMediaCorruption.SyntheticStagesFileName)))
        {
            Console.WriteLine($"Reusing the synthetic copy in {data}");
        }
        else
        {
            SynthCommand.Generate(data, new SyntheticAffWild2Options
            {
                TrainVideos = trainVideos,
                ValidationVideos = 3,
                TestVideos = 3,
                SecondsPerVideo = seconds,
            });
        }

        // 2. Featurise, train, save, score the Test videos with their synthetic labels.
        var request = new TrainingRequest(data, output, Path.Combine(output.Root, "cache"), FeaturizerSettings.Default,
            new TrainingSettings(epochs, BatchSize: 8, LearningRate: 1e-3, Patience: 0, Seed: 1, Threads: 0),
            HeldOutSplit.Test(Path.Combine(data, AffWild2Data.SyntheticTestLabelFolder)), VideoPlots: 3);
        var outcome = TrainingRun.Run(new MLContext(seed: 1), request, clock);

        // 3. Load the saved zip afresh and predict one raw Test video: featurised as in training, scored through ONNX Runtime.
        var ml = new MLContext();
        var video = ml.Data.CreateEnumerable<RawVideo>(ml.Data.LoadAffWild2(data, AffWild2Split.Test), reuseRowObject: false).First();
        var reloaded = PredictCommand.Predict(new FileInfo(output.Model), new FileInfo(video.VideoFile), new DirectoryInfo(video.FaceFolder));
        var inProcess = outcome.HeldOut.Single(scored => scored.VideoId == video.VideoId);
        var difference = reloaded.PredictedValence.Zip(inProcess.PredictedValence)
            .Concat(reloaded.PredictedArousal.Zip(inProcess.PredictedArousal))
            .Max(pair => Math.Abs(pair.First - pair.Second));
        var csv = Path.Combine(output.Root, $"predictions-{video.VideoId}.csv");
        SubmissionCsv.Write(csv, [reloaded]);
        Console.WriteLine($"Reloaded model on raw video '{video.VideoId}': {reloaded.PredictedValence.Length} frames, " +
            $"largest difference from the trained model {difference:G3}");

        var report = outcome.Report with { ReloadedMaxAbsDifference = difference, Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) };
        var metrics = MetricsFile.Write(output.Root, report);
        Summary.Print("Demo done", report,
            [("data", data), ("model", output.Model), ("weights", outcome.Weights.Single()), ("metrics", metrics), ("csv", csv),
             ("plots", $"{output.Plots} ({outcome.Plots.Count} PNG)")],
            clock.Elapsed);
        return 0;
    }
}

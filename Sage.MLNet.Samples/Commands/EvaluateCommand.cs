using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Plots;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>evaluate --data ROOT --model FILE</c>: scores a saved model on a labelled split from raw videos, featurising them
/// exactly as in training, and writes metrics.json and plots.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Returns the <c>evaluate</c> command with its options and action.</summary>
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var model = CommonOptions.Model();
        var (split, labels) = CommonOptions.HeldOut();
        var output = CommonOptions.Out("sage-evaluation", "Folder for metrics.json and plots/.");
        var plotVideos = CommonOptions.PlotVideos();
        var cache = CommonOptions.Cache();
        var command = new Command("evaluate", "Score a saved model on the Validation (or labelled Test) split: CCC overall and per video, plots.")
        {
            data, model, split, labels, output, plotVideos, cache,
        };
        command.SetAction(parse => CommandAction.Run(() => Run(
            parse.GetValue(data)!, parse.GetValue(model)!,
            CommonOptions.ReadHeldOut(parse.GetValue(split)!, parse.GetValue(labels), parse.GetValue(data)!),
            RunFolder.Create(parse.GetValue(output)!.FullName), parse.GetValue(plotVideos), parse.GetValue(cache)!)));
        return command;
    }

    private static int Run(DirectoryInfo data, FileInfo modelFile, HeldOutSplit heldOut, RunFolder output, int plotVideos, DirectoryInfo cache)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);
        var (videos, count) = heldOut.Load(ml, data.FullName);
        // The featurizers rebuilt from the zip have the training run's settings, so features cached by train or featurize are hits.
        using var model = SageModel.LoadWithFeaturizers(ml, modelFile.FullName, out _, cacheFolder: cache.FullName);
        var scored = VideoScoring.Predict(ml, CropRows.Chain(model), videos, count, $"Featurising and scoring {heldOut.Name} videos");
        var report = MetricsReport.From(heldOut.Name, VideoScoring.Evaluate(ml, scored), [], clock.Elapsed.TotalSeconds);
        var metrics = MetricsFile.Write(output.Root, report);
        var plots = PlotSet.Save(output.Plots, heldOut.Name, scored, [], plotVideos, SyntheticStages.Read(data.FullName));
        Summary.Print("Evaluated", report, [("metrics", metrics), ("plots", $"{output.Plots} ({plots.Count} PNG)")], clock.Elapsed);
        return 0;
    }
}

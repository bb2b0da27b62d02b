using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>train --data ROOT</c>: featurises Train and Validation (the default encoders, or the paper's given as ONNX files),
/// trains one SAGE model that keeps its best validation epoch, and writes the model zip, its weights, metrics.json and plots.
/// With <c>--folds K</c> it trains K fold models on the Train videos, scores each on Validation and saves their combination
/// (<c>--selection target-wise</c> or <c>average</c>) as one model zip, with one weights file per fold and the fold table in metrics.json.
/// </summary>
/// <remarks>
/// The paper's encoders, exported to ONNX by the user: <c>--face-encoder resnet50.onnx --image-size 224</c> (ImageNet
/// normalisation in RGB order is the default; <c>--face-encoder-output</c> picks the pooled output when it is not the
/// first) and <c>--audio-encoder wavlm-base.onnx</c> (16 kHz waveform in, [1, steps, 768] out).
/// </remarks>
internal static class TrainCommand
{
    /// <summary>Returns the <c>train</c> command with its options and action.</summary>
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var output = CommonOptions.Out("sage-model", "Folder for sage.zip, sage.ckpt (sage-fold1.ckpt … with --folds), metrics.json and plots/.");
        var cache = CommonOptions.Cache();
        var plotVideos = CommonOptions.PlotVideos();
        var encoders = new EncoderOptions();
        var training = new TrainingOptions(defaultEpochs: 20, defaultPatience: 5);
        var command = new Command("train", "Featurise an Aff-Wild2 copy, train SAGE on Train (best epoch on Validation), save and score it.")
        {
            data, output, cache, plotVideos,
        };
        encoders.AddTo(command);
        training.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() => Run(new TrainingRequest(
            parse.GetValue(data)!.FullName,
            RunFolder.Create(parse.GetValue(output)!.FullName),
            parse.GetValue(cache)!.FullName,
            encoders.Read(parse),
            training.Read(parse),
            HeldOutSplit.Validation,
            parse.GetValue(plotVideos)))));
        return command;
    }

    private static int Run(TrainingRequest request)
    {
        var clock = Stopwatch.StartNew();
        var outcome = TrainingRun.Run(new MLContext(seed: request.Training.Seed), request, clock);
        var metrics = MetricsFile.Write(request.Output.Root, outcome.Report with { Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) });
        Summary.Print("Trained", outcome.Report,
            [("model", request.Output.Model), ("weights", Weights(outcome.Weights)), ("metrics", metrics), ("plots", $"{request.Output.Plots} ({outcome.Plots.Count} PNG)")],
            clock.Elapsed);
        return 0;
    }

    /// <summary>Returns the one weights file, or the fold files as "folder/sage-fold1.ckpt … sage-foldK.ckpt (one per fold)".</summary>
    private static string Weights(IReadOnlyList<string> files) => files.Count == 1
        ? files[0]
        : $"{files[0]} … {Path.GetFileName(files[^1])} (one per fold)";
}

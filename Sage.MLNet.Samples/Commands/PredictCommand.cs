using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Plots;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>predict --model FILE --video FILE [--faces DIR] [--out CSV] [--missing-audio zeros|error]</c>: predicts valence, arousal and reliability for every frame of
/// one video and writes them as a per-frame CSV, with a plot of the prediction over time and a contact sheet of face crops.
/// </summary>
internal static class PredictCommand
{
    /// <summary>Returns the <c>predict</c> command with its options and action.</summary>
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var video = new Option<FileInfo>("--video") { Description = "The video file (its audio track is used).", Required = true }.AcceptExistingOnly();
        var faces = new Option<DirectoryInfo>("--faces")
        {
            Description = "The video's face-crop folder (00001.jpg = frame 0); its name is the video id in the CSV.",
        }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out")
        {
            Description = $"CSV to write ({FrameCsv.Header}, one line per frame); the plot (.png) and a contact sheet of crops (-faces.png) go beside it.",
            DefaultValueFactory = _ => new FileInfo("predictions.csv"),
        };
        var missingAudio = CommonOptions.MissingAudio();
        var command = new Command("predict", "Predict valence, arousal and reliability for every frame of one video into a CSV, with a plot and a contact sheet of face crops.")
        {
            model, video, faces, output, missingAudio,
        };
        command.SetAction(parse => CommandAction.Run(() =>
            Run(parse.GetValue(model)!, parse.GetValue(video)!, parse.GetValue(faces), parse.GetValue(output)!, parse.GetValue(missingAudio))));
        return command;
    }

    /// <summary>Returns the video scored from its crops by the model in <paramref name="modelFile"/>, loaded afresh with its featurizers, as the demo compares it with the trained model.</summary>
    public static ScoredVideo Predict(FileInfo modelFile, FileInfo video, DirectoryInfo faces)
    {
        var ml = new MLContext(seed: 1);
        using var model = SageModel.LoadWithFeaturizers(ml, modelFile.FullName, out _);
        var row = new RawVideo
        {
            VideoId = faces.Name,
            FaceFolder = faces.FullName,
            VideoFile = video.FullName,
            FrameCount = FaceCrops.FrameCount(faces.FullName),
        };
        return VideoScoring.Predict(ml, CropRows.Chain(model), ml.Data.LoadFromEnumerable([row]), 1, "Featurising and predicting").Single();
    }

    private static int Run(FileInfo modelFile, FileInfo video, DirectoryInfo? faces, FileInfo output, SageMissingAudioPolicy? missingAudio)
    {
        var clock = Stopwatch.StartNew();
        using var predictor = new VideoPredictor(modelFile.FullName, missingAudio);
        var videoName = faces?.Name ?? video.Name;
        var prediction = ProgressDisplay.Run("Featurising and predicting", 1, step =>
        {
            var result = predictor.Predict(video.FullName, videoName, faces?.FullName);
            step.Advance(1, videoName);
            return result;
        });
        output.Directory?.Create();
        FrameCsv.Write(output.FullName, prediction.Frames);
        var plot = Path.ChangeExtension(output.FullName, ".png");
        PredictionTimePlot.Save(plot, prediction);
        var sheet = Path.ChangeExtension(output.FullName, null) + "-faces.png";
        var crops = ContactSheet.Save(sheet, prediction);
        var audio = prediction.HasAudio ? "" : "; no audio track: scored with zero audio features";
        Summary.Print($"Predicted {prediction.Frames.Count:N0} frames ({prediction.Seconds:0.##} s) of '{videoName}', a face in {prediction.FaceFrames:N0}{audio}", null,
            [("csv", output.FullName), ("plot", plot), ("faces", $"{sheet} ({crops} crops)")], clock.Elapsed);
        return 0;
    }
}

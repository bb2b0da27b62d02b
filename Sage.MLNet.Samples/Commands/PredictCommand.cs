using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Plots;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>predict --model FILE --video FILE --faces DIR</c>: predicts valence and arousal for every frame of one raw video and
/// writes them in the ABAW submission format, with a plot of the prediction over time.
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
            Description = "CSV to write (image_location,valence,arousal); a PNG plot goes beside it.",
            DefaultValueFactory = _ => new FileInfo("predictions.csv"),
        };
        var command = new Command("predict", "Predict per-frame valence and arousal for one video into an ABAW submission CSV.") { model, video, faces, output };
        command.SetAction(parse => CommandAction.Run(() =>
            Run(parse.GetValue(model)!, parse.GetValue(video)!, parse.GetValue(faces), parse.GetValue(output)!)));
        return command;
    }

    /// <summary>Returns the video scored by the model in <paramref name="modelFile"/>, loaded afresh with its featurizers.</summary>
    public static ScoredVideo Predict(FileInfo modelFile, FileInfo video, DirectoryInfo? faces)
    {
        var ml = new MLContext(seed: 1);
        using var model = SageModel.LoadWithFeaturizers(ml, modelFile.FullName, out var inputSchema);
        if (faces is null)
        {
            throw new UserInputException(inputSchema.GetColumnOrNull("FaceFolder") is null
                ? $"video '{video.Name}': give its face-crop folder with --faces DIR; the frame count comes from the crops"
                : $"video '{video.Name}': the model '{modelFile.Name}' reads face crops; give their folder with --faces DIR");
        }
        var row = new RawVideo
        {
            VideoId = faces.Name,
            FaceFolder = faces.FullName,
            VideoFile = video.FullName,
            FrameCount = FaceCrops.FrameCount(faces.FullName),
        };
        return VideoScoring.Predict(ml, model, ml.Data.LoadFromEnumerable([row]), 1, "Featurising and predicting").Single();
    }

    private static int Run(FileInfo modelFile, FileInfo video, DirectoryInfo? faces, FileInfo output)
    {
        var clock = Stopwatch.StartNew();
        var scored = Predict(modelFile, video, faces);
        output.Directory?.Create();
        SubmissionCsv.Write(output.FullName, [scored]);
        var plot = Path.ChangeExtension(output.FullName, ".png");
        VideoTracePlot.Save(plot, scored.VideoId, [], [], scored.PredictedValence, scored.PredictedArousal, scored.Reliability, []);
        Summary.Print($"Predicted {scored.PredictedValence.Length:N0} frames of '{scored.VideoId}'", null,
            [("csv", output.FullName), ("plot", plot)], clock.Elapsed);
        return 0;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Samples.Robustness;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>robustness --data ROOT</c>: trains each fusion variant with the same seeds on the copy's Train videos (best epoch on
/// Validation), corrupts the held-out videos' faces or sound at the media level, scores every model under every corruption
/// and writes robustness.json, a console table and plots.
/// </summary>
internal static class RobustnessCommand
{
    /// <summary>Returns the <c>robustness</c> command with its options and action.</summary>
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var output = CommonOptions.Out("sage-robustness", "Folder for robustness.json, plots/ and the corrupted copies (corrupted/, replaced on each run).");
        var cache = CommonOptions.Cache();
        var variants = new Option<string[]>("--variants")
        {
            Description = "Fusion variants to compare (comma- or space-separated): " + string.Join(", ", Enum.GetNames<SageFusion>()) + ". Default: all.",
            AllowMultipleArgumentsPerToken = true,
        };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per variant (1 … n, the same for every variant).", DefaultValueFactory = _ => 3 };
        var corruptions = new Option<string[]>("--corruptions")
        {
            Description = "Corruptions (comma- or space-separated): " + string.Join(", ", Enum.GetValues<SageCorruptionKind>().Select(SageCorruption.NameOf)) +
                ". Default: all. A synthetic copy's own stages are always scored as synthetic-stages.",
            AllowMultipleArgumentsPerToken = true,
        };
        var levels = new Option<string>("--levels") { Description = "Corrupted shares of each video, comma-separated, each in (0, 1]; clean is always scored.", DefaultValueFactory = _ => "0.25,0.5,0.75" };
        var stretch = new Option<int>("--stretch-frames") { Description = "Frames per corrupted stretch.", DefaultValueFactory = _ => 50 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs per run (the best on Validation is kept).", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for training; 0 uses one per core.", DefaultValueFactory = _ => 0 };
        var command = new Command("robustness", "Train fusion variants on the same data and seeds and score each with one modality corrupted: robustness.json, a table, plots.")
        {
            data, output, cache, variants, seeds, corruptions, levels, stretch, epochs, threads,
        };
        command.SetAction(parse => CommandAction.Run(() => Run(
            parse.GetValue(data)!.FullName,
            parse.GetValue(output)!.FullName,
            parse.GetValue(cache)!.FullName,
            List(parse.GetValue(variants)).Select(ParseVariant).ToList() is { Count: > 0 } chosen ? chosen : [.. new SageRobustnessOptions().Variants],
            parse.GetValue(seeds),
            List(parse.GetValue(corruptions)).Select(ParseCorruption).ToList() is { Count: > 0 } kinds ? kinds : [.. Enum.GetValues<SageCorruptionKind>()],
            ParseLevels(parse.GetValue(levels)!),
            parse.GetValue(stretch),
            parse.GetValue(epochs),
            parse.GetValue(threads))));
        return command;
    }

    private static int Run(string data, string outputFolder, string cacheFolder, List<SageFusion> variants, int seeds, List<SageCorruptionKind> corruptions,
        List<double> levels, int stretchFrames, int epochs, int threads)
    {
        if (seeds < 1 || epochs < 1 || stretchFrames < 1)
        {
            throw new UserInputException($"--seeds, --epochs and --stretch-frames must each be at least 1, got {seeds}, {epochs}, {stretchFrames}");
        }
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);
        Directory.CreateDirectory(outputFolder);
        var work = Path.Combine(outputFolder, "corrupted");
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }

        var (train, _) = AffWild2Data.Load(ml, data, AffWild2Split.Train);
        var (validation, _) = AffWild2Data.Load(ml, data, AffWild2Split.Validation);
        var labels = Path.Combine(data, AffWild2Data.SyntheticTestLabelFolder);
        var heldOut = Directory.Exists(labels) ? HeldOutSplit.Test(labels) : HeldOutSplit.Validation;
        var (evaluation, evaluationCount) = heldOut.Load(ml, data);
        using var featurizers = VideoFeaturizers.Fit(ml, train, FeaturizerSettings.Default, cacheFolder);
        var trainFeatures = featurizers.Featurize(train, "train");
        var validationFeatures = featurizers.Featurize(validation, "validation");
        var synthetic = File.Exists(Path.Combine(data, SageMediaCorruption.SyntheticStagesFileName)) ? data : null;
        Console.WriteLine($"Robustness: {variants.Count} variants × {seeds} seeds, {corruptions.Count} corruptions × {levels.Count} levels" +
            $"{(synthetic is null ? "" : " + the copy's own stages")}, scored on {evaluationCount} {heldOut.Name} videos");

        var template = new TrainingSettings(epochs, BatchSize: 8, LearningRate: 1e-3, Patience: 0, Seed: 1, Threads: threads)
            .ToSageOptions(featurizers.Faces.FeatureSize, featurizers.Audio.FeatureSize, validation: null);
        var report = SageRobustness.Run(ml, trainFeatures, validationFeatures, evaluation, featurizers.Faces, featurizers.Audio, new SageRobustnessOptions
        {
            Variants = variants,
            Seeds = seeds,
            Corruptions = corruptions,
            Levels = levels,
            StretchFrames = stretchFrames,
            SyntheticRoot = synthetic,
            Training = template,
            WorkFolder = work,
            Progress = new Lines(clock),
        });

        Console.WriteLine();
        Console.WriteLine(RobustnessTable.Format(report));
        Console.WriteLine("Training frames/s: " + string.Join(", ", report.TrainingFramesPerSecond.Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value:N0}"))));
        var settings = new RobustnessSettings(Machine.Describe(), data, heldOut.Name, evaluationCount, [.. variants.Select(v => v.ToString())], seeds,
            [.. corruptions.Select(SageCorruption.NameOf)], levels, stretchFrames, epochs);
        var json = RobustnessFile.Write(outputFolder, settings, report, clock.Elapsed.TotalSeconds);
        var plots = RobustnessPlots.Save(Path.Combine(outputFolder, "plots"), report);
        Console.WriteLine($"Robustness done in {clock.Elapsed.TotalMinutes:F1} min: {json}, {plots.Count} plots in {Path.Combine(outputFolder, "plots")}");
        return 0;
    }

    private static IEnumerable<string> List(string[]? values) =>
        (values ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static SageFusion ParseVariant(string name) =>
        Enum.TryParse<SageFusion>(name.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var variant) && Enum.IsDefined(variant)
            ? variant
            : throw new UserInputException($"--variants: '{name}' is not a fusion variant; expected {string.Join(", ", Enum.GetNames<SageFusion>())}");

    private static SageCorruptionKind ParseCorruption(string name)
    {
        try
        {
            return SageCorruption.Parse(name);
        }
        catch (ArgumentException error)
        {
            throw new UserInputException($"--corruptions: {error.Message}");
        }
    }

    private static List<double> ParseLevels(string text)
    {
        var levels = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var level) || !(level > 0 && level <= 1))
            {
                throw new UserInputException($"--levels: '{part}' is not a share in (0, 1]");
            }
            levels.Add(level);
        }
        return levels.Count > 0 ? levels : throw new UserInputException("--levels: give at least one share in (0, 1]");
    }

    private sealed class Lines(Stopwatch clock) : IProgress<string>
    {
        public void Report(string value) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {value}");
    }
}

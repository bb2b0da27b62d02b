using System.CommandLine;
using System.Diagnostics;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Synthetic;

namespace Sage.MLNet.Samples.Commands;

/// <summary><c>synth --out ROOT</c>: writes a synthetic Aff-Wild2 copy (face crops, videos with audio, labels) to try every other command on.</summary>
internal static class SynthCommand
{
    /// <summary>Returns the <c>synth</c> command with its options and action.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the copy into; must be missing or empty.", Required = true };
        var train = new Option<int>("--train-videos") { Description = "Train videos (people).", DefaultValueFactory = _ => 8 };
        var validation = new Option<int>("--validation-videos") { Description = "Validation videos.", DefaultValueFactory = _ => 2 };
        var test = new Option<int>("--test-videos") { Description = "Test videos (labels kept aside in synthetic_test_labels/).", DefaultValueFactory = _ => 2 };
        var seconds = new Option<double>("--seconds") { Description = "Length of each video, in seconds.", DefaultValueFactory = _ => 12 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same copy.", DefaultValueFactory = _ => 1 };
        var command = new Command("synth", "Write a synthetic Aff-Wild2 copy: drawn faces and tones that follow the labels, with unreliable stretches.")
        {
            output, train, validation, test, seconds, seed,
        };
        command.SetAction(parse => CommandAction.Run(() => Run(parse.GetValue(output)!, new SyntheticAffWild2Options
        {
            TrainVideos = parse.GetValue(train),
            ValidationVideos = parse.GetValue(validation),
            TestVideos = parse.GetValue(test),
            SecondsPerVideo = parse.GetValue(seconds),
            Seed = parse.GetValue(seed),
        })));
        return command;
    }

    /// <summary>Writes the copy and prints what it holds.</summary>
    public static SyntheticAffWild2Summary Generate(string root, SyntheticAffWild2Options options)
    {
        Console.WriteLine($"Writing a synthetic Aff-Wild2 copy to {root}: {options.TrainVideos} train, {options.ValidationVideos} validation, " +
            $"{options.TestVideos} test videos of {options.SecondsPerVideo} s ...");
        try
        {
            return SyntheticAffWild2.Generate(root, options);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UserInputException($"synthetic copy: {e.Message}");
        }
    }

    private static int Run(DirectoryInfo output, SyntheticAffWild2Options options)
    {
        var clock = Stopwatch.StartNew();
        var summary = Generate(output.FullName, options);
        Summary.Print($"Wrote {summary.TrainVideoIds.Count + summary.ValidationVideoIds.Count + summary.TestVideoIds.Count} videos of {summary.FramesPerVideo} frames",
            null, [("root", summary.Root), ("stages", summary.ReliabilityFile), ("test list", summary.TestListFile)], clock.Elapsed);
        return 0;
    }
}

using System.CommandLine;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>Options several commands share, made fresh for each command.</summary>
internal static class CommonOptions
{
    /// <summary>Returns the required <c>--data ROOT</c> option: an Aff-Wild2 copy that must exist.</summary>
    public static Option<DirectoryInfo> Data() => new Option<DirectoryInfo>("--data")
    {
        Description = "Root folder of the Aff-Wild2 copy (real or made by 'synth').",
        Required = true,
    }.AcceptExistingOnly();

    /// <summary>Returns the required <c>--model FILE</c> option: a model zip that must exist.</summary>
    public static Option<FileInfo> Model() => new Option<FileInfo>("--model")
    {
        Description = "Model zip written by 'train' or 'demo' (sage.zip).",
        Required = true,
    }.AcceptExistingOnly();

    /// <summary>Returns the <c>--missing-audio zeros|error</c> option: what to do with a video that has no audio track, over the model's saved policy.</summary>
    public static Option<SageMissingAudioPolicy?> MissingAudio() => new("--missing-audio")
    {
        Description = "A video with no audio track: 'zeros' scores it from its faces with zero audio features, 'error' refuses it. Default: the policy saved with the model.",
        CustomParser = result =>
        {
            switch (result.Tokens.Single().Value.ToLowerInvariant())
            {
                case "zeros":
                    return SageMissingAudioPolicy.Zeros;
                case "error":
                    return SageMissingAudioPolicy.Error;
                case var other:
                    result.AddError($"--missing-audio is 'zeros' or 'error', not '{other}'");
                    return null;
            }
        },
    };

    /// <summary>Returns the <c>--cache DIR</c> option: the feature cache folder.</summary>
    public static Option<DirectoryInfo> Cache() => new("--cache")
    {
        Description = "Feature cache folder; runs with the same encoders reuse its features.",
        DefaultValueFactory = _ => new DirectoryInfo("sage-cache"),
    };

    /// <summary>Returns the <c>--out DIR</c> option with the given default folder.</summary>
    public static Option<DirectoryInfo> Out(string defaultFolder, string description) => new("--out")
    {
        Description = description,
        DefaultValueFactory = _ => new DirectoryInfo(defaultFolder),
    };

    /// <summary>Returns the <c>--plot-videos N</c> option: how many videos to plot over time.</summary>
    public static Option<int> PlotVideos() => new("--plot-videos")
    {
        Description = "Scored videos to plot over time (predicted vs. annotated, reliability under them).",
        DefaultValueFactory = _ => 4,
    };

    /// <summary>Returns the <c>--split</c> option of the labelled split to score and the <c>--labels DIR</c> option for Test labels.</summary>
    public static (Option<string> Split, Option<DirectoryInfo> Labels) HeldOut()
    {
        var split = new Option<string>("--split")
        {
            Description = "Labelled split to score: validation, or test (needs its labels; a synthetic copy has them).",
            DefaultValueFactory = _ => HeldOutSplit.Validation.Name,
        };
        split.AcceptOnlyFromAmong(HeldOutSplit.Validation.Name, HeldOutSplit.TestName);
        var labels = new Option<DirectoryInfo>("--labels")
        {
            Description = $"Folder of the Test videos' annotation files (<video>.txt). Default: <data>/{AffWild2Data.SyntheticTestLabelFolder}.",
        };
        return (split, labels);
    }

    /// <summary>Returns the held-out split that <c>--split</c> and <c>--labels</c> name for the copy at <paramref name="data"/>.</summary>
    public static HeldOutSplit ReadHeldOut(string split, DirectoryInfo? labels, DirectoryInfo data) =>
        split == HeldOutSplit.Validation.Name
            ? HeldOutSplit.Validation
            : HeldOutSplit.Test(labels?.FullName ?? Path.Combine(data.FullName, AffWild2Data.SyntheticTestLabelFolder));
}

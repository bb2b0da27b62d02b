using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary><c>featurize --data ROOT</c>: fills the feature cache for every split, so later training and scoring read features instead of running the encoders.</summary>
internal static class FeaturizeCommand
{
    /// <summary>Returns the <c>featurize</c> command with its options and action.</summary>
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var cache = CommonOptions.Cache();
        var encoders = new EncoderOptions();
        var command = new Command("featurize", "Run the face and audio encoders over every video of a copy into the feature cache.") { data, cache };
        encoders.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() => Run(parse.GetValue(data)!, parse.GetValue(cache)!, encoders.Read(parse))));
        return command;
    }

    private static int Run(DirectoryInfo data, DirectoryInfo cache, FeaturizerSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);
        var (train, _) = AffWild2Data.Load(ml, data.FullName, AffWild2Split.Train);
        using var featurizers = VideoFeaturizers.Fit(ml, train, settings, cache.FullName);
        featurizers.Featurize(train, "train");
        featurizers.Featurize(AffWild2Data.Load(ml, data.FullName, AffWild2Split.Validation).Videos, "validation");
        if (ml.Data.ValidateAffWild2(data.FullName, AffWild2Split.Test).VideoCount == 0)
        {
            Console.WriteLine("No Test split (no test list or no names in it): skipped.");
        }
        else
        {
            featurizers.Featurize(AffWild2Data.Load(ml, data.FullName, AffWild2Split.Test).Videos, "test");
        }
        Summary.Print($"Featurised (Dv {featurizers.Faces.FeatureSize}, Da {featurizers.Audio.FeatureSize})", null, [("cache", cache.FullName)], clock.Elapsed);
        return 0;
    }
}

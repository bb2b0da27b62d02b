using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>featurize --data ROOT [--shard I/N]</c>: fills the feature cache for every split, or for one shard of each split as one
/// task of a Slurm job array or a Kubernetes indexed Job, so later training and scoring read features instead of running
/// the encoders.
/// </summary>
internal static class FeaturizeCommand
{
    /// <summary>Returns the <c>featurize</c> command with its options and action.</summary>
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var cache = CommonOptions.Cache();
        var shard = new Option<string>("--shard")
        {
            Description = "Fill only shard I of N (1-based, e.g. 3/16). Default: read SLURM_ARRAY_TASK_ID/_MIN/_COUNT (Slurm job array) "
                + $"or JOB_COMPLETION_INDEX (Kubernetes indexed Job, with --shard-count or {SageJobShard.CountVariable}); else the whole copy.",
        };
        var shardCount = new Option<int?>("--shard-count")
        {
            Description = $"Number of shards when the task number comes from the environment; a Kubernetes indexed Job needs it (or {SageJobShard.CountVariable}).",
        };
        var encoders = new EncoderOptions();
        var command = new Command("featurize", "Run the face and audio encoders over every video of a copy, or of one shard of it, into the feature cache.")
        {
            data, cache, shard, shardCount,
        };
        encoders.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() => Run(
            parse.GetValue(data)!, parse.GetValue(cache)!, ChooseShard(parse.GetValue(shard), parse.GetValue(shardCount)), encoders.Read(parse))));
        return command;
    }

    /// <summary>Returns the shard given by --shard, else by the job array's variables, else the whole copy.</summary>
    private static SageJobShard ChooseShard(string? shard, int? shardCount)
    {
        try
        {
            if (shard is not null)
            {
                return shardCount is null
                    ? SageJobShard.Parse(shard) with { Origin = $"--shard {shard}" }
                    : throw new UserInputException("give either --shard I/N or --shard-count N (with a job array's task variables), not both");
            }
            if (shardCount is < 1)
            {
                throw new UserInputException($"--shard-count must be at least 1, got {shardCount}");
            }
            return SageJobShard.FromEnvironment(shardCount)
                ?? (shardCount is null
                    ? VideoFeaturizers.WholeCopy
                    : throw new UserInputException("--shard-count needs a task number from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX; outside a job array give --shard I/N"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new UserInputException(e.Message);
        }
    }

    private static int Run(DirectoryInfo data, DirectoryInfo cache, SageJobShard shard, FeaturizerSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);
        var splits = new List<(string Name, IDataView Videos, int All, int InShard)>();
        foreach (var (name, split) in new[] { ("train", AffWild2Split.Train), ("validation", AffWild2Split.Validation), ("test", AffWild2Split.Test) })
        {
            if (split == AffWild2Split.Test && ml.Data.ValidateAffWild2(data.FullName, AffWild2Split.Test).VideoCount == 0)
            {
                Console.WriteLine("No Test split (no test list or no names in it): skipped.");
                continue;
            }
            var videos = ml.Data.LoadAffWild2(data.FullName, split);
            var ids = ml.Data.CreateEnumerable<RawVideo>(videos, reuseRowObject: true).Select(v => v.VideoId).ToList();
            splits.Add((name, videos, ids.Count, ids.Count(id => SageFeatureCache.ShardOf(id, shard.Count) == shard.Index)));
        }
        var perSplit = string.Join(", ", splits.Select(s => $"{s.Name} {s.InShard}"));
        Console.WriteLine(shard.Count == 1
            ? $"Whole copy ({shard.Origin}): {splits.Sum(s => s.All)} videos ({perSplit})"
            : $"Shard {shard} ({shard.Origin}): {splits.Sum(s => s.InShard)} of {splits.Sum(s => s.All)} videos ({perSplit})");

        using var featurizers = VideoFeaturizers.Fit(ml, splits[0].Videos, settings, cache.FullName);
        foreach (var (name, videos, _, inShard) in splits.Where(s => s.InShard > 0))
        {
            featurizers.Fill(videos, name, shard, inShard);
        }
        Summary.Print($"Featurised {(shard.Count == 1 ? "the copy" : $"shard {shard}")} (Dv {featurizers.Faces.FeatureSize}, Da {featurizers.Audio.FeatureSize})", null, [("cache", cache.FullName)], clock.Elapsed);
        return 0;
    }
}

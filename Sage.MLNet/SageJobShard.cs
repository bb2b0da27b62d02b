using System.Collections;
using System.Globalization;

namespace Sage.MLNet;

/// <summary>
/// Says which share of the videos one task of a job array fills into the feature cache: given as text (<c>2/16</c>) or read
/// from the variables a Slurm job array or a Kubernetes indexed Job sets; pass <see cref="Index"/> and <see cref="Count"/>
/// to <see cref="SageFeatureCacheFillOptions"/>.
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>Engine</term><description>Variables read (index, count)</description></listheader>
/// <item><term>Slurm job array (<c>sbatch --array=1-16</c>)</term><description><c>SLURM_ARRAY_TASK_ID</c> minus <c>SLURM_ARRAY_TASK_MIN</c>, divided by
/// <c>SLURM_ARRAY_TASK_STEP</c>; <c>SLURM_ARRAY_TASK_COUNT</c>, or (<c>_MAX</c> − <c>_MIN</c>) / step + 1. Any regular range works (<c>0-15</c>,
/// <c>1-16</c>, <c>0-30:2</c>); an irregular list such as <c>1,5,7</c> does not: give the shard as text instead.</description></item>
/// <item><term>Kubernetes indexed Job (<c>completionMode: Indexed</c>)</term><description><c>JOB_COMPLETION_INDEX</c> (0-based); the count from the caller, else
/// <c>SAGE_SHARD_COUNT</c> (Kubernetes does not tell a pod the number of completions; set it to <c>spec.completions</c>).</description></item>
/// </list>
/// Slurm's variables are read first when both are set.
/// </remarks>
public sealed record SageJobShard
{
    /// <summary>The variable that gives the number of shards to a Kubernetes indexed Job's pods: <c>SAGE_SHARD_COUNT</c>.</summary>
    public const string CountVariable = "SAGE_SHARD_COUNT";

    /// <summary>Gets the shard, 0-based: 0 … <see cref="Count"/> − 1, as <see cref="SageFeatureCacheFillOptions.ShardIndex"/> takes it.</summary>
    public int Index { get; init; }

    /// <summary>Gets the number of shards, at least 1.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Gets where the shard came from, for a log line: the text given or the variables read, e.g. <c>SLURM_ARRAY_TASK_ID=3 of 1-16</c>.</summary>
    public string Origin { get; init; } = "";

    /// <summary>Returns the shard that <c>I/N</c> names, with I counted from 1 (<c>1/16</c> … <c>16/16</c>) as job-array task numbers usually are.</summary>
    /// <param name="text">Two whole numbers separated by a slash, 1 ≤ I ≤ N.</param>
    /// <exception cref="ArgumentException">The text is not of that form or I lies outside 1 … N; the message quotes it.</exception>
    public static SageJobShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !TryParse(parts[0], out var number) || !TryParse(parts[1], out var count) || count < 1 || number < 1 || number > count)
        {
            throw new ArgumentException($"Shard '{text}' is not I/N with 1 ≤ I ≤ N (e.g. 1/16 for the first of 16 shards)", nameof(text));
        }
        return new SageJobShard { Index = number - 1, Count = count, Origin = $"shard {number}/{count}" };
    }

    /// <summary>Returns the shard that a Slurm job array's or a Kubernetes indexed Job's variables give this process, or null when neither is set.</summary>
    /// <param name="count">The number of shards, which a Kubernetes indexed Job needs and Slurm's <c>SLURM_ARRAY_TASK_COUNT</c> gives; null reads <see cref="CountVariable"/> for Kubernetes.</param>
    /// <param name="variables">The environment to read; null reads this process's environment.</param>
    /// <exception cref="InvalidOperationException">A variable is not a whole number, the index falls outside the count, or a Kubernetes index has no count; the message names the variables.</exception>
    public static SageJobShard? FromEnvironment(int? count = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        variables ??= Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        int? Read(string name)
        {
            if (!variables.TryGetValue(name, out var value) || value.Length == 0)
            {
                return null;
            }
            return TryParse(value, out var number)
                ? number
                : throw new InvalidOperationException($"{name} is '{value}', not a whole number");
        }
        if (Read("SLURM_ARRAY_TASK_ID") is { } taskId)
        {
            var min = Read("SLURM_ARRAY_TASK_MIN") ?? 0;
            var step = Math.Max(1, Read("SLURM_ARRAY_TASK_STEP") ?? 1);
            var max = Read("SLURM_ARRAY_TASK_MAX");
            var slurmCount = Read("SLURM_ARRAY_TASK_COUNT") ?? (max is { } m ? (m - min) / step + 1 : (int?)null)
                ?? throw new InvalidOperationException($"SLURM_ARRAY_TASK_ID is {taskId} but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is set: give the shard as I/N");
            var total = count ?? slurmCount;
            var index = (taskId - min) / step;
            if ((taskId - min) % step != 0 || index < 0 || index >= total)
            {
                throw new InvalidOperationException(
                    $"SLURM_ARRAY_TASK_ID {taskId} is not task 1 … {total} of a regular array starting at SLURM_ARRAY_TASK_MIN {min} with step {step}: " +
                    "use a range such as --array=1-16, or give the shard as I/N");
            }
            return new SageJobShard { Index = index, Count = total, Origin = $"SLURM_ARRAY_TASK_ID={taskId} of {min}-{min + (total - 1) * step}{(step > 1 ? $":{step}" : "")}" };
        }
        if (Read("JOB_COMPLETION_INDEX") is { } completionIndex)
        {
            var total = count ?? Read(CountVariable)
                ?? throw new InvalidOperationException($"JOB_COMPLETION_INDEX is {completionIndex} but the number of shards is unknown: set {CountVariable} to the Job's completions, or give the count");
            if (total < 1 || completionIndex < 0 || completionIndex >= total)
            {
                throw new InvalidOperationException($"JOB_COMPLETION_INDEX {completionIndex} lies outside 0 … {total - 1} ({total} shards): set {CountVariable} to the Job's completions");
            }
            return new SageJobShard { Index = completionIndex, Count = total, Origin = $"JOB_COMPLETION_INDEX={completionIndex} of {total}" };
        }
        return null;
    }

    /// <summary>Returns the shard as 1-based text, e.g. <c>3/16</c>.</summary>
    public override string ToString() => $"{Index + 1}/{Count}";

    private static bool TryParse(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

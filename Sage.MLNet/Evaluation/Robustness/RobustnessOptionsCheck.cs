using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Evaluation.Robustness;

/// <summary>Rejects out-of-range <see cref="SageRobustnessOptions"/> when a robustness run starts, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class RobustnessOptionsCheck
{
    public static void Validate(SageRobustnessOptions o)
    {
        Require(o.Variants is { Count: > 0 } v && v.All(Enum.IsDefined) && v.Distinct().Count() == v.Count, o.Variants, nameof(o.Variants),
            "must name at least one SageFusion, each once");
        Positive(o.Seeds, nameof(o.Seeds));
        Require(o.Corruptions is not null && o.Corruptions.All(Enum.IsDefined), o.Corruptions, nameof(o.Corruptions), "must hold SageCorruptionKind values");
        Require(o.Levels is not null && o.Levels.All(level => level is > 0 and <= 1), o.Levels, nameof(o.Levels),
            "must each lie in (0, 1]: the clean videos (0) are always scored");
        Require(!string.IsNullOrWhiteSpace(o.WorkFolder), o.WorkFolder, nameof(o.WorkFolder), "must name a folder for the corrupted copies");
        ArgumentNullException.ThrowIfNull(o.Training, nameof(o.Training));
    }
}

using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>Rejects out-of-range <see cref="SageFeatureCacheFillOptions"/> when a fill starts, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class FeatureCacheFillOptionsCheck
{
    public static void Validate(SageFeatureCacheFillOptions o)
    {
        Require(o.ShardCount >= 1, o.ShardCount, nameof(o.ShardCount), "must be at least 1");
        Require(o.ShardIndex >= 0 && o.ShardIndex < o.ShardCount, o.ShardIndex, nameof(o.ShardIndex), $"must lie in 0 … {o.ShardCount - 1}");
    }
}

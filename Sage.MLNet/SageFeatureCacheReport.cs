namespace Sage.MLNet;

/// <summary>What one <see cref="SageFeatureCache.Fill"/> call did for its shard.</summary>
public sealed record SageFeatureCacheReport
{
    /// <summary>Gets the shard that was filled, 0 … <see cref="ShardCount"/> − 1.</summary>
    public int ShardIndex { get; init; }

    /// <summary>Gets the number of shards the videos were split into.</summary>
    public int ShardCount { get; init; }

    /// <summary>Gets the number of videos in this shard, all of which now have a cache file.</summary>
    public int Videos { get; init; }

    /// <summary>Gets the number of videos whose intact cache file was already there.</summary>
    public int Hits { get; init; }

    /// <summary>Gets the number of videos featurised and written (missing, damaged or outdated files).</summary>
    public int Computed { get; init; }

    /// <summary>Gets the total T over the shard's videos, in frames.</summary>
    public long Frames { get; init; }

    /// <summary>Gets the wall-clock time the fill took, in seconds.</summary>
    public double Seconds { get; init; }
}

namespace Sage.MLNet;

/// <summary>What one <see cref="SageFeatureCache.Fill"/> call did for its shard.</summary>
public sealed record SageFeatureCacheReport
{
    /// <summary>Gets the shard that was filled, 0 … <see cref="ShardCount"/> − 1.</summary>
    public int ShardIndex { get; init; }

    /// <summary>Gets the number of shards the videos were split into.</summary>
    public int ShardCount { get; init; }

    /// <summary>Gets the number of videos in this shard: <see cref="Hits"/> + <see cref="Computed"/> + <see cref="Failed"/>; all but the failed ones now have a cache file.</summary>
    public int Videos { get; init; }

    /// <summary>Gets the number of videos whose intact cache file was already there.</summary>
    public int Hits { get; init; }

    /// <summary>Gets the number of videos featurised and written (missing, damaged or outdated files).</summary>
    public int Computed { get; init; }

    /// <summary>Gets the number of videos skipped because they could not be featurised; always 0 unless Fill was asked to skip bad videos.</summary>
    public int Failed => Failures.Count;

    /// <summary>Gets the skipped videos in the order they were met, each with its error message; empty unless Fill was asked to skip bad videos.</summary>
    public IReadOnlyList<SageFeatureCacheFailure> Failures { get; init; } = [];

    /// <summary>Gets the total T over the shard's videos that now have a cache file (failed videos left out), in frames.</summary>
    public long Frames { get; init; }

    /// <summary>Gets the wall-clock time the fill took, in seconds.</summary>
    public double Seconds { get; init; }
}

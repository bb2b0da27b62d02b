namespace Sage.MLNet;

/// <summary>Progress of <see cref="SageFeatureCache.Fill"/>, reported after each video of the shard.</summary>
public sealed record SageFeatureCacheProgress
{
    /// <summary>Gets the videos of the shard done so far, hits and failures included.</summary>
    public int VideosDone { get; init; }

    /// <summary>Gets the number of videos in the shard.</summary>
    public int Videos { get; init; }

    /// <summary>Gets how many of the videos done were already cached.</summary>
    public int Hits { get; init; }

    /// <summary>Gets how many of the videos done were skipped because they could not be featurised (only when Fill skips bad videos).</summary>
    public int Failed { get; init; }

    /// <summary>Gets the total T of the videos done that now have a cache file, in frames.</summary>
    public long Frames { get; init; }

    /// <summary>Gets the video just done: its VideoId, or its source (folder or file) when the rows have no VideoId column.</summary>
    public string Video { get; init; } = "";

    /// <summary>Gets how many videos of the shard another process is featurising right now; the fill does the rest first, then waits for these (or takes them over if that process dies).</summary>
    public int Waiting { get; init; }
}

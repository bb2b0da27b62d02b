namespace Sage.MLNet;

/// <summary>Which share of the videos one <see cref="SageFeatureCache.Fill"/> call featurises, what it does with bad videos, and how it reports.</summary>
public sealed class SageFeatureCacheFillOptions
{
    /// <summary>Gets or sets this job's shard, 0 … <see cref="ShardCount"/> − 1. Default: 0.</summary>
    public int ShardIndex { get; set; }

    /// <summary>Gets or sets the number of jobs the videos are split among (see <see cref="SageFeatureCache.ShardOf"/>). Default: 1, the whole set.</summary>
    public int ShardCount { get; set; } = 1;

    /// <summary>
    /// Gets or sets whether a video that cannot be featurised (a corrupt or truncated file, an unreadable crop, an empty or
    /// missing crop folder, a missing file, no audio track under <see cref="SageMissingAudioPolicy.Error"/>: an
    /// <see cref="InvalidDataException"/>, <see cref="FileNotFoundException"/> or <see cref="DirectoryNotFoundException"/>)
    /// is recorded in <see cref="SageFeatureCacheReport.Failures"/> while the fill goes on with the next video. Nothing is
    /// cached for it, so a later fill tries it again. Any other error (cancellation, a cache file that cannot be written)
    /// still stops the fill. Default: false, the first bad video stops the fill with its exception.
    /// </summary>
    public bool SkipBadVideos { get; set; }

    /// <summary>Gets or sets what receives a report after each video, failed ones included. Default: null, nothing is reported.</summary>
    public IProgress<SageFeatureCacheProgress>? Progress { get; set; }

    /// <summary>Gets or sets the token that stops the fill between videos; files already written stay valid. Default: none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Gets or sets how long another process's "in progress" marker (<c>&lt;videoKey&gt;.features.claim</c>) may go
    /// unrenewed before its video is taken over. A live fill renews its markers every quarter of this time, so only a killed
    /// one leaves a stale marker; a marker of a dead process on the same host is taken over at once. Keep it well above the
    /// clock difference between machines and the attribute caching of the shared file system. Default: 5 minutes.
    /// </summary>
    public TimeSpan StaleClaimTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

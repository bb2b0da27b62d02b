using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Cache;

namespace Sage.MLNet;

/// <summary>
/// Fills the on-disk feature cache of a face or audio featuriser one shard at a time, so a job array featurises a large
/// data set such as Aff-Wild2 once, in parallel, and resumes after a crash.
/// </summary>
/// <remarks>
/// <para>
/// Set <see cref="SageFaceFeaturizerOptions.CacheFolder"/> or <see cref="SageAudioFeaturizerOptions.CacheFolder"/>, fit the
/// featuriser, and run <c>Fill(videos, featurizer, new() { ShardIndex = i, ShardCount = n })</c> as job i of n. Afterwards a pipeline with the same
/// CacheFolder and settings reads every video from the cache instead of running the encoder. Videos finished before a
/// crash are hits when the job runs again. With <see cref="SageFeatureCacheFillOptions.SkipBadVideos"/> a video that cannot be featurised (a corrupt
/// file, an empty crop folder …) is listed in <see cref="SageFeatureCacheReport.Failures"/> instead of stopping the job;
/// it gets no cache file, so the next fill tries it again.
/// </para>
/// <para>
/// The cache holds a folder per featuriser setting, <c>&lt;CacheFolder&gt;/&lt;faces|audio&gt;-&lt;featurizerKey&gt;/</c>, with a
/// <c>featurizer.json</c> describing the settings and one <c>&lt;videoKey&gt;.features</c> file per video. The featurizer key
/// hashes everything that changes the numbers (the encoder file's SHA-256, input size, channel order, scale, means and
/// standard deviations, mel bands, the missing-face or missing-audio policy, the library's format version); the video
/// key hashes the source's full path, the names, sizes and last-write times of its files, and T. Changing any of them
/// misses and recomputes. Old folders and files are never deleted: remove them by hand. Because the key holds the full
/// path, mount the data at the same path on every machine that shares a cache.
/// </para>
/// <para>
/// Several processes may fill one cache at once, on one machine or many over a shared file system, with the same or
/// different shards: each video's file is written to a temporary name and renamed, so no reader ever sees half a file;
/// and a fill marks the video it featurises with <c>&lt;videoKey&gt;.features.claim</c>, so another fill that reaches the
/// same video does its other videos first and then waits for that file instead of computing it twice. A killed fill's
/// markers are taken over after <see cref="SageFeatureCacheFillOptions.StaleClaimTimeout"/> (at once on the same host), and
/// its rerun featurises only the videos that still lack a file.
/// </para>
/// </remarks>
public static class SageFeatureCache
{
    /// <summary>The text column whose value decides a row's shard when the rows have one; else the source column does.</summary>
    public const string VideoIdColumnName = "VideoId";

    /// <summary>Returns the shard, 0 … <paramref name="shardCount"/> − 1, of a video: the first 8 bytes of the SHA-256 of its UTF-8 id, read as a big-endian unsigned integer, modulo <paramref name="shardCount"/>.</summary>
    /// <param name="videoId">The row's VideoId, or its face folder or video file when the rows have no VideoId column.</param>
    /// <param name="shardCount">The number of shards, at least 1.</param>
    /// <remarks>The same on every process and machine, unlike <see cref="string.GetHashCode()"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is below 1.</exception>
    public static int ShardOf(string videoId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(videoId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        return FeatureCacheShards.ShardOf(videoId, shardCount);
    }

    /// <summary>Makes sure every video of one shard has an intact cache file, featurising those that lack one, one video at a time.</summary>
    /// <param name="videos">One row per video with the featuriser's input columns (source and frame count) and optionally a text <c>VideoId</c> column, as <see cref="AffWild2Catalog.LoadAffWild2"/> gives them.</param>
    /// <param name="featurizer">A fitted <see cref="SageFaceFeaturizerTransformer"/> or <see cref="SageAudioFeaturizerTransformer"/> whose options set CacheFolder.</param>
    /// <param name="options">The shard, whether to skip bad videos, progress and cancellation; null fills the whole set and stops at the first bad video.</param>
    /// <returns>The shard's video, hit, computed, failed and frame counts, the failed videos with their errors, and the time taken.</returns>
    /// <exception cref="ArgumentException"><paramref name="featurizer"/> is not a face or audio featuriser, or its options have no CacheFolder.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The shard numbers are out of range (the parameter name says which), or an input column is missing or mistyped (the message names it).</exception>
    /// <exception cref="InvalidDataException">A video cannot be featurised and <see cref="SageFeatureCacheFillOptions.SkipBadVideos"/> is false; the message names it.</exception>
    /// <exception cref="DirectoryNotFoundException">A video's face-crop folder does not exist and bad videos are not skipped; the message names it.</exception>
    /// <exception cref="IOException">A video's features cannot be written to the cache, whether or not bad videos are skipped; the message names the video and the file.</exception>
    /// <exception cref="OperationCanceledException"><see cref="SageFeatureCacheFillOptions.CancellationToken"/> was cancelled.</exception>
    public static SageFeatureCacheReport Fill(IDataView videos, ITransformer featurizer, SageFeatureCacheFillOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(featurizer);
        options ??= new SageFeatureCacheFillOptions();
        FeatureCacheFillOptionsCheck.Validate(options);
        var (shardIndex, shardCount) = (options.ShardIndex, options.ShardCount);
        if (featurizer is not ICacheableFeaturizer cacheable)
        {
            throw new ArgumentException(
                $"Cannot fill a feature cache with a {featurizer.GetType().Name}; pass the fitted {nameof(SageFaceFeaturizerTransformer)} or {nameof(SageAudioFeaturizerTransformer)} itself, not a chain that holds it",
                nameof(featurizer));
        }
        if (cacheable.Cached.Folder is null)
        {
            throw new ArgumentException(
                $"The {featurizer.GetType().Name} has no cache: set CacheFolder in its options ({nameof(SageFaceFeaturizerOptions)}.{nameof(SageFaceFeaturizerOptions.CacheFolder)} or {nameof(SageAudioFeaturizerOptions)}.{nameof(SageAudioFeaturizerOptions.CacheFolder)}) before fitting it",
                nameof(featurizer));
        }
        cacheable.CheckInput(videos.Schema);
        if (options.StaleClaimTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SageFeatureCacheFillOptions.StaleClaimTimeout), options.StaleClaimTimeout, "StaleClaimTimeout must be positive");
        }
        var cancellationToken = options.CancellationToken;

        var stopwatch = Stopwatch.StartNew();
        var shard = ListShard(videos, cacheable, shardIndex, shardCount, cancellationToken);
        var fill = new ShardFill(cacheable.Cached, shard.Count, options);
        var waiting = new List<(string Id, string Source, int FrameCount)>();
        foreach (var video in shard)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!fill.TryVideo(video.Id, video.Source, video.FrameCount, waiting.Count))
            {
                waiting.Add(video);
            }
        }
        // Videos another live process is featurising: wait for its file, or take the video over if that process dies.
        while (waiting.Count > 0)
        {
            cancellationToken.WaitHandle.WaitOne(fill.PollInterval);
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = waiting.Count - 1; i >= 0; i--)
            {
                var video = waiting[i];
                if (fill.TryVideo(video.Id, video.Source, video.FrameCount, waiting.Count - 1))
                {
                    waiting.RemoveAt(i);
                }
            }
        }
        return new SageFeatureCacheReport
        {
            ShardIndex = shardIndex,
            ShardCount = shardCount,
            Videos = fill.Done,
            Hits = fill.Hits,
            Computed = fill.Done - fill.Hits - fill.Failures.Count,
            Failures = fill.Failures.AsReadOnly(),
            Frames = fill.Frames,
            Seconds = stopwatch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The running counts of one fill and the step that settles one video.</summary>
    private sealed class ShardFill(CachedFeaturizer cached, int videos, SageFeatureCacheFillOptions options)
    {
        public int Done { get; private set; }

        public int Hits { get; private set; }

        public long Frames { get; private set; }

        public List<SageFeatureCacheFailure> Failures { get; } = [];

        /// <summary>How often a fill looks again at videos claimed by other processes: a quarter of the stale timeout, at most 2 s.</summary>
        public TimeSpan PollInterval { get; } = TimeSpan.FromTicks(Math.Min(options.StaleClaimTimeout.Ticks / 4, TimeSpan.FromSeconds(2).Ticks));

        /// <summary>
        /// Settles one video: a hit when its intact file is there, else featurised under a claim; returns false, doing
        /// nothing, when another live process holds the video's claim.
        /// </summary>
        public bool TryVideo(string id, string source, int frameCount, int waitingAfter)
        {
            try
            {
                // The key itself reads the video's files (the crop listing, file sizes and times), so a bad video can fail here already.
                var path = cached.PathOf(source, frameCount);
                if (path is null)
                {
                    // No key (e.g. a missing video file): computing reports why, or featurises without caching.
                    cached.ComputeAndStore(source, frameCount, null);
                    Frames += frameCount;
                }
                else if (cached.IsIntact(path, frameCount))
                {
                    Hits++;
                    Frames += frameCount;
                }
                else
                {
                    using var claim = TakeClaim(source, path, options.StaleClaimTimeout);
                    if (claim is null)
                    {
                        return false;
                    }
                    // The owner of an earlier claim may have finished between the read above and the claim.
                    if (cached.IsIntact(path, frameCount))
                    {
                        Hits++;
                    }
                    else
                    {
                        FeatureCacheClaim.DeleteStaleTemporaries(path, options.StaleClaimTimeout);
                        cached.ComputeAndStore(source, frameCount, path);
                    }
                    Frames += frameCount;
                }
            }
            catch (Exception e) when (options.SkipBadVideos && IsBadVideo(e))
            {
                // CachedFeaturizer writes only after a successful computation, so nothing of this video is on disk.
                Failures.Add(new SageFeatureCacheFailure(id, e.Message));
            }
            Done++;
            options.Progress?.Report(new SageFeatureCacheProgress
            {
                VideosDone = Done,
                Videos = videos,
                Hits = Hits,
                Failed = Failures.Count,
                Frames = Frames,
                Video = id,
                Waiting = waitingAfter,
            });
            return true;
        }
    }

    /// <summary>
    /// Claims a video's features file; a claim that cannot be written is a cache write failure (a plain
    /// <see cref="IOException"/> naming the file), never a bad video, even where the OS reports a missing folder.
    /// </summary>
    private static FeatureCacheClaim? TakeClaim(string source, string path, TimeSpan staleAfter)
    {
        try
        {
            return FeatureCacheClaim.TryTake(path, staleAfter);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"video '{source}': could not write its features to the cache file '{path}': its claim marker cannot be created: {e.Message}", e);
        }
    }

    /// <summary>
    /// Tells a problem of one video's data, which the featurisers report as these exceptions naming the video, from a
    /// problem of the run. A cache write failure is a plain <see cref="IOException"/> (CachedFeaturizer wraps it), so it
    /// is not one: a full or read-only disk would otherwise mark every remaining video as failed.
    /// </summary>
    private static bool IsBadVideo(Exception e) => e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException;

    /// <summary>Returns the shard's videos; the shard is decided by VideoId, or by the source text, never by the video key, so no other shard's folders are listed.</summary>
    private static List<(string Id, string Source, int FrameCount)> ListShard(IDataView videos, ICacheableFeaturizer featurizer, int shardIndex, int shardCount, CancellationToken cancellationToken)
    {
        var schema = videos.Schema;
        var sourceColumn = schema[featurizer.SourceColumnName];
        var frameCountColumn = schema[featurizer.FrameCountColumnName];
        var idColumn = schema.GetColumnOrNull(VideoIdColumnName) is { Type: TextDataViewType } videoIdColumn ? videoIdColumn : (DataViewSchema.Column?)null;
        var columns = idColumn is { } c ? new[] { sourceColumn, frameCountColumn, c } : [sourceColumn, frameCountColumn];
        var shard = new List<(string, string, int)>();
        using var cursor = videos.GetRowCursor(columns);
        var getSource = cursor.GetGetter<ReadOnlyMemory<char>>(sourceColumn);
        var getFrameCount = cursor.GetGetter<int>(frameCountColumn);
        var getId = idColumn is { } column ? cursor.GetGetter<ReadOnlyMemory<char>>(column) : null;
        ReadOnlyMemory<char> source = default, videoId = default;
        var frameCount = 0;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            getSource(ref source);
            getFrameCount(ref frameCount);
            getId?.Invoke(ref videoId);
            var id = getId is null ? source.ToString() : videoId.ToString();
            if (FeatureCacheShards.ShardOf(id, shardCount) == shardIndex)
            {
                shard.Add((id, source.ToString(), frameCount));
            }
        }
        return shard;
    }
}

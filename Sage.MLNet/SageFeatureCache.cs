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
/// misses and recomputes. Old folders and files are never deleted: remove them by hand.
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
        var (progress, cancellationToken, skipBadVideos) = (options.Progress, options.CancellationToken, options.SkipBadVideos);

        var stopwatch = Stopwatch.StartNew();
        var shard = ListShard(videos, cacheable, shardIndex, shardCount, cancellationToken);
        var failures = new List<SageFeatureCacheFailure>();
        int hits = 0, done = 0;
        long frames = 0;
        foreach (var (id, source, frameCount) in shard)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                cacheable.Cached.Featurize(source, frameCount, out var hit);
                hits += hit ? 1 : 0;
                frames += frameCount;
            }
            catch (Exception e) when (skipBadVideos && IsBadVideo(e))
            {
                // CachedFeaturizer writes only after a successful computation, so nothing of this video is on disk.
                failures.Add(new SageFeatureCacheFailure(id, e.Message));
            }
            done++;
            progress?.Report(new SageFeatureCacheProgress
            {
                VideosDone = done,
                Videos = shard.Count,
                Hits = hits,
                Failed = failures.Count,
                Frames = frames,
                Video = id,
            });
        }
        return new SageFeatureCacheReport
        {
            ShardIndex = shardIndex,
            ShardCount = shardCount,
            Videos = done,
            Hits = hits,
            Computed = done - hits - failures.Count,
            Failures = failures.AsReadOnly(),
            Frames = frames,
            Seconds = stopwatch.Elapsed.TotalSeconds,
        };
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

namespace Sage.MLNet.Featurization.Cache;

/// <summary>
/// Featurises a video through the cache: reads its features file when present and intact, else computes and writes it.
/// Without a cache folder it only computes. Thread-safe, as ML.NET's cursor threads need.
/// </summary>
internal sealed class CachedFeaturizer
{
    private readonly Func<string, int, string?> _videoKey;
    private readonly Func<string, int, VideoFeatures> _compute;
    private readonly int _featureSize;
    private readonly int _extraChannels;
    private long _computations;
    private long _wholeReads;
    private long _streamed;

    /// <param name="folder">The featuriser's cache folder; null caches nothing.</param>
    /// <param name="videoKey">Maps a source (folder or file) and T to the video key, or null when the video cannot be cached (the computation then reports why).</param>
    /// <param name="compute">Featurises a source for T frames.</param>
    /// <param name="featureSize">D.</param>
    /// <param name="extraChannels">C.</param>
    public CachedFeaturizer(FeatureCacheFolder? folder, Func<string, int, string?> videoKey, Func<string, int, VideoFeatures> compute, int featureSize, int extraChannels)
    {
        Folder = folder;
        _videoKey = videoKey;
        _compute = compute;
        _featureSize = featureSize;
        _extraChannels = extraChannels;
    }

    public FeatureCacheFolder? Folder { get; }

    /// <summary>Videos computed (not read from the cache) so far; the encoder runs only for these.</summary>
    public long Computations => Interlocked.Read(ref _computations);

    /// <summary>Videos read whole from the cache (all their features in arrays) so far.</summary>
    public long WholeReads => Interlocked.Read(ref _wholeReads);

    /// <summary>Videos opened in the cache for reading frame ranges (<see cref="TryOpen"/>) so far.</summary>
    public long Streamed => Interlocked.Read(ref _streamed);

    public VideoFeatures Featurize(string source, int frameCount) => Featurize(source, frameCount, out _);

    /// <exception cref="IOException">
    /// The computed features cannot be written to the cache; the message names the video and the file. Always a plain
    /// IOException, never a FileNotFound- or DirectoryNotFoundException, so that SageFeatureCache.Fill does not take a
    /// cache problem for a bad video and skip it.
    /// </exception>
    public VideoFeatures Featurize(string source, int frameCount, out bool hit)
    {
        var path = PathOf(source, frameCount);
        if (path is not null && TryRead(path, frameCount) is { } cached)
        {
            Interlocked.Increment(ref _wholeReads);
            hit = true;
            return cached;
        }
        hit = false;
        return ComputeAndStore(source, frameCount, path);
    }

    /// <summary>Returns the features file of a video, or null without a cache folder or when the video has no key.</summary>
    public string? PathOf(string source, int frameCount) =>
        Folder is not null && frameCount >= 0 && _videoKey(source, frameCount) is { } key ? Folder.PathOf(key) : null;

    /// <summary>
    /// Opens a video's cached features for reading frame ranges, or returns null when they are not cached (no cache folder,
    /// no key, no file, or a file of another shape): the caller then featurises it whole, which computes and stores it.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is there but cannot be read; the message names it.</exception>
    public FeatureCacheRangeReader? TryOpen(string source, int frameCount)
    {
        if (PathOf(source, frameCount) is not { } path || FeatureCacheRangeReader.TryOpen(path, frameCount, _featureSize, _extraChannels) is not { } reader)
        {
            return null;
        }
        Interlocked.Increment(ref _streamed);
        return reader;
    }

    /// <summary>Returns whether <paramref name="path"/> holds this featuriser's intact features of the video, reading it a megabyte at a time.</summary>
    public bool IsIntact(string path, int frameCount) => FeatureCacheFile.IsIntact(path, frameCount, _featureSize, _extraChannels);

    /// <summary>Returns the features in <paramref name="path"/>, or null when the file is missing, damaged or of another shape.</summary>
    public VideoFeatures? TryRead(string path, int frameCount) => FeatureCacheFile.TryRead(path, frameCount, _featureSize, _extraChannels);

    /// <summary>Featurises a video and, when <paramref name="path"/> is not null, writes its features there.</summary>
    /// <exception cref="IOException">The features cannot be written; see <see cref="Featurize(string, int, out bool)"/>.</exception>
    public VideoFeatures ComputeAndStore(string source, int frameCount, string? path)
    {
        Interlocked.Increment(ref _computations);
        var computed = _compute(source, frameCount);
        if (path is not null)
        {
            try
            {
                FeatureCacheFile.Write(path, computed);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"video '{source}': could not write its features to the cache file '{path}': {e.Message}", e);
            }
        }
        return computed;
    }
}

using Microsoft.ML;
using Sage.MLNet.Featurization.Cache;

namespace Sage.MLNet.Tests.Featurization.Cache;

/// <summary>Helpers to look into a cache folder and to count a featuriser's computations.</summary>
internal static class CacheFiles
{
    public static string NewCacheFolder() => Directory.CreateTempSubdirectory("sage-cache-").FullName;

    /// <summary>Returns the featuriser folders (<c>kind-key</c>) under a cache folder.</summary>
    public static string[] FeaturizerFolders(string cacheFolder) => Directory.GetDirectories(cacheFolder).Order().ToArray();

    /// <summary>Returns the features files (not temporaries) of a featuriser's cache folder.</summary>
    public static string[] FeatureFiles(ITransformer model) =>
        Directory.GetFiles(Cached(model).Folder!.Folder, "*" + FeatureCacheFile.Extension).Order().ToArray();

    /// <summary>Returns the features file a video's row maps to.</summary>
    public static string FileOf(ITransformer model, string videoKey) => Cached(model).Folder!.PathOf(videoKey);

    public static long Computations(ITransformer model) => Cached(model).Computations;

    private static CachedFeaturizer Cached(ITransformer model) => ((ICacheableFeaturizer)model).Cached;
}

/// <summary>Collects progress reports on the reporting thread (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class ListProgress<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value) => Reports.Add(value);
}

/// <summary>A video's features and labels as arrays in memory, for <c>LoadFromEnumerable</c>.</summary>
internal sealed class FeatureRow
{
    public string VideoId { get; set; } = "";

    public float[] VisualFeatures { get; set; } = [];

    public float[] FaceFound { get; set; } = [];

    public float[] AudioFeatures { get; set; } = [];

    public float[] Valence { get; set; } = [];

    public float[] Arousal { get; set; } = [];
}

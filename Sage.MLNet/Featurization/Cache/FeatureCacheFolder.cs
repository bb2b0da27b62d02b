using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sage.MLNet.IO;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>
/// One featuriser's folder in the cache, <c>&lt;CacheFolder&gt;/&lt;kind&gt;-&lt;featurizerKey&gt;/</c>: a
/// <c>featurizer.json</c> that describes its settings for people, and one <c>.features</c> file per video.
/// </summary>
internal sealed class FeatureCacheFolder
{
    public const string DescriptionFileName = "featurizer.json";
    private const int KeyHexDigits = 16;        // 64 bits: collisions among a lab's handful of settings are negligible

    private static readonly JsonSerializerOptions s_readable = new() { WriteIndented = true };

    private FeatureCacheFolder(string folder, string featurizerKey)
    {
        Folder = folder;
        FeaturizerKey = featurizerKey;
    }

    /// <summary>The folder's full path.</summary>
    public string Folder { get; }

    /// <summary>The first 16 hex digits of the SHA-256 of the settings' canonical (compact) JSON.</summary>
    public string FeaturizerKey { get; }

    /// <summary>Creates (or finds) the folder for these settings under <paramref name="cacheFolder"/>; the settings' first property is the kind.</summary>
    /// <exception cref="ArgumentException"><paramref name="cacheFolder"/> is empty; the parameter is named CacheFolder.</exception>
    public static FeatureCacheFolder Open(string cacheFolder, JsonObject settings)
    {
        if (string.IsNullOrWhiteSpace(cacheFolder))
        {
            throw new ArgumentException("CacheFolder must be null (no cache) or a folder", "CacheFolder");
        }
        var kind = (string)settings["kind"]!;
        // The canonical form is the compact JSON in the order the settings were added, which the describing code fixes.
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings.ToJsonString())))[..KeyHexDigits];
        var folder = Path.Combine(Path.GetFullPath(cacheFolder), $"{kind}-{key}");
        Directory.CreateDirectory(folder);
        var description = Path.Combine(folder, DescriptionFileName);
        if (!File.Exists(description))
        {
            var readable = new JsonObject { ["featurizerKey"] = key };
            foreach (var (name, value) in settings)
            {
                readable[name] = value?.DeepClone();
            }
            // Several shards may race here; each writes the same text through a rename, so any winner is right.
            AtomicFile.Write(description, stream => JsonSerializer.Serialize(stream, readable, s_readable));
        }
        return new FeatureCacheFolder(folder, key);
    }

    /// <summary>Returns the path of a video's features file.</summary>
    public string PathOf(string videoKey) => Path.Combine(Folder, videoKey + FeatureCacheFile.Extension);
}

using Microsoft.ML;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>What <see cref="SageFeatureCache.Fill"/> needs from a featuriser transformer: its cache and the columns it reads.</summary>
internal interface ICacheableFeaturizer
{
    /// <summary>The featuriser behind the cache; its folder is null when the options have no CacheFolder.</summary>
    CachedFeaturizer Cached { get; }

    /// <summary>The text column of each video's source: the face-crop folder or the video file.</summary>
    string SourceColumnName { get; }

    /// <summary>The Int32 column of T.</summary>
    string FrameCountColumnName { get; }

    /// <summary>Checks the input columns as Transform does, throwing ArgumentOutOfRangeException that names a missing or mistyped one.</summary>
    void CheckInput(DataViewSchema schema);
}

namespace Sage.MLNet;

/// <summary>A video that <see cref="SageFeatureCache.Fill"/> skipped because it could not be featurised; nothing was written to the cache for it.</summary>
/// <param name="Video">The video's VideoId, or its source (face-crop folder or video file) when the rows have no VideoId column.</param>
/// <param name="Message">The error's message, which names the video and the file or folder at fault.</param>
public sealed record SageFeatureCacheFailure(string Video, string Message);

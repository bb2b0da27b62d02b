using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.IO;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>
/// Computes a video's cache key: the SHA-256 of what identifies its sources (paths, names, sizes, last-write times)
/// and T, so replacing or touching a source, or asking for another T, misses the cache.
/// </summary>
/// <remarks>Contents are not hashed: reading every crop to hash it would cost much of what the cache saves.</remarks>
internal static class VideoKeys
{
    /// <summary>Returns the key of a face-crop folder: its full path, T, and the name, size and last-write time of each crop among frames 0 … T − 1.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist; the message names it and the video.</exception>
    public static string ForFaceFolder(string folder, int frameCount)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(folder);
        var crops = FaceCropFrames.List(folder, Path.GetFileName(trimmed), frameCount);
        using var hash = new KeyHash().Add("faces").Add(Path.GetFullPath(trimmed)).Add(frameCount).Add(crops.Files.Count);
        foreach (var file in crops.Files)
        {
            var info = new FileInfo(file);
            hash.Add(info.Name).Add(info.Length).Add(info.LastWriteTimeUtc.Ticks);
        }
        return hash.ToHex();
    }

    /// <summary>Returns the key of a video file: its full path, size, last-write time and T; null when the file does not exist, so the featuriser reports it.</summary>
    public static string? ForVideoFile(string videoFile, int frameCount)
    {
        if (videoFile.Length == 0 || new FileInfo(videoFile) is not { Exists: true } info)
        {
            return null;
        }
        using var hash = new KeyHash().Add("audio").Add(info.FullName).Add(info.Length).Add(info.LastWriteTimeUtc.Ticks).Add(frameCount);
        return hash.ToHex();
    }
}

using FFMpegCore;

namespace Sage.MLNet.Media;

/// <summary>Finds ffmpeg and ffprobe before any video is read, so that a missing install fails once, clearly.</summary>
internal static class FFMpegBinaries
{
    /// <summary>Returns FFMpegCore's options for <paramref name="binaryFolder"/>, or its global options when that is null.</summary>
    /// <exception cref="FileNotFoundException">ffmpeg or ffprobe is not there (or not on PATH); the message says how to install it.</exception>
    public static FFOptions Find(string? binaryFolder)
    {
        var options = GlobalFFOptions.Current.Clone();
        if (binaryFolder is not null)
        {
            options.BinaryFolder = binaryFolder;
        }
        foreach (var binary in new[] { "ffmpeg", "ffprobe" })
        {
            // FFMpegCore falls back to PATH when its binary folder lacks a binary, so the folder is checked here.
            var path = string.IsNullOrEmpty(options.BinaryFolder) ? binary : Path.Combine(options.BinaryFolder, binary);
            if (!Exists(path))
            {
                var where = string.IsNullOrEmpty(options.BinaryFolder) ? "on PATH" : $"in folder '{options.BinaryFolder}'";
                throw new FileNotFoundException(
                    $"Could not find {binary} {where}, which audio featurisation needs to decode videos. " +
                    $"Install ffmpeg (on Debian or Ubuntu: apt-get install -y ffmpeg), or set {nameof(SageAudioFeaturizerOptions)}.{nameof(SageAudioFeaturizerOptions.FFMpegBinaryFolder)} " +
                    "(or FFMpegCore's GlobalFFOptions.Current.BinaryFolder) to the folder that holds ffmpeg and ffprobe.",
                    path);
            }
        }
        return options;
    }

    private static bool Exists(string path)
    {
        if (path.Contains(Path.DirectorySeparatorChar))
        {
            return File.Exists(path) || File.Exists(path + ".exe");
        }
        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        return searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => Exists(Path.Combine(folder, path)));
    }
}

using FFMpegCore;

namespace Sage.MLNet.Synthetic;

/// <summary>Checks <see cref="SyntheticAffWild2Options"/> and finds ffmpeg before anything is written, so a bad setting fails at once.</summary>
internal static class SyntheticAffWild2OptionsCheck
{
    /// <summary>Returns T, the number of frames per video.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name is the option's.</exception>
    public static int FrameCount(SyntheticAffWild2Options options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.TrainVideos, nameof(options.TrainVideos));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ValidationVideos, nameof(options.ValidationVideos));
        ArgumentOutOfRangeException.ThrowIfNegative(options.TestVideos, nameof(options.TestVideos));
        if (options.TrainVideos + options.ValidationVideos + options.TestVideos == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options.TrainVideos), "at least one video is needed in some split");
        }
        // 1 to 240 fps covers every real rate; the upper end stops a typo from writing millions of frames.
        if (!double.IsFinite(options.FramesPerSecond) || options.FramesPerSecond < 1 || options.FramesPerSecond > 240)
        {
            throw new ArgumentOutOfRangeException(nameof(options.FramesPerSecond), options.FramesPerSecond, "must lie in [1, 240] frames per second");
        }
        if (!double.IsFinite(options.SecondsPerVideo) || options.SecondsPerVideo <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options.SecondsPerVideo), options.SecondsPerVideo, "must be a positive number of seconds");
        }
        var frames = Math.Round(options.SecondsPerVideo * options.FramesPerSecond);
        if (frames < 2 || frames > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(options.SecondsPerVideo), options.SecondsPerVideo,
                $"gives {frames} frames at {options.FramesPerSecond} fps; a video needs 2 to 1,000,000 frames");
        }
        // Below 16 pixels the eyes and mouth are under a pixel and the expression is lost.
        if (options.CropSize < 16 || options.CropSize > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options.CropSize), options.CropSize, "must lie in [16, 1024] pixels");
        }
        return (int)frames;
    }

    /// <summary>Returns FFMpegCore's options for <paramref name="binaryFolder"/>, or its global options when that is null.</summary>
    /// <exception cref="FileNotFoundException">ffmpeg is not there (or not on PATH); the message says how to install it.</exception>
    public static FFOptions FindFFMpeg(string? binaryFolder)
    {
        var options = GlobalFFOptions.Current.Clone();
        if (binaryFolder is not null)
        {
            options.BinaryFolder = binaryFolder;
        }
        var folders = string.IsNullOrEmpty(options.BinaryFolder)
            ? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            : [options.BinaryFolder];
        if (!folders.Any(folder => File.Exists(Path.Combine(folder, "ffmpeg")) || File.Exists(Path.Combine(folder, "ffmpeg.exe"))))
        {
            var where = string.IsNullOrEmpty(options.BinaryFolder) ? "on PATH" : $"in folder '{options.BinaryFolder}'";
            throw new FileNotFoundException(
                $"Could not find ffmpeg {where}, which writing synthetic Aff-Wild2 videos needs. Install ffmpeg " +
                $"(on Debian or Ubuntu: apt-get install -y ffmpeg), or set {nameof(SyntheticAffWild2Options)}.{nameof(SyntheticAffWild2Options.FFMpegBinaryFolder)}.",
                "ffmpeg");
        }
        return options;
    }
}

using FFMpegCore;
using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Synthetic;

/// <summary>Checks <see cref="SyntheticAffWild2Options"/> and finds ffmpeg before anything is written, so a bad setting fails at once.</summary>
internal static class SyntheticAffWild2OptionsCheck
{
    /// <summary>Rejects out-of-range options before anything is written, naming the option (see <see cref="OptionsCheck"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name is the option's.</exception>
    public static void Validate(SyntheticAffWild2Options o)
    {
        Require(o.TrainVideos >= 0, o.TrainVideos, nameof(o.TrainVideos), "must be zero or positive");
        Require(o.ValidationVideos >= 0, o.ValidationVideos, nameof(o.ValidationVideos), "must be zero or positive");
        Require(o.TestVideos >= 0, o.TestVideos, nameof(o.TestVideos), "must be zero or positive");
        Require(o.TrainVideos + o.ValidationVideos + o.TestVideos > 0, o.TrainVideos, nameof(o.TrainVideos), "and the other splits' counts must add up to at least one video");
        // 1 to 240 fps covers every real rate; the upper end stops a typo from writing millions of frames.
        Require(double.IsFinite(o.FramesPerSecond) && o.FramesPerSecond is >= 1 and <= 240, o.FramesPerSecond, nameof(o.FramesPerSecond), "must lie in [1, 240] frames per second");
        Require(double.IsFinite(o.SecondsPerVideo) && o.SecondsPerVideo > 0, o.SecondsPerVideo, nameof(o.SecondsPerVideo), "must be a positive number of seconds");
        var frames = Math.Round(o.SecondsPerVideo * o.FramesPerSecond);
        Require(frames is >= 2 and <= 1_000_000, o.SecondsPerVideo, nameof(o.SecondsPerVideo),
            $"gives {frames} frames at {o.FramesPerSecond} fps; a video needs 2 to 1,000,000 frames");
        // Below 16 pixels the eyes and mouth are under a pixel and the expression is lost.
        Require(o.CropSize is >= 16 and <= 1024, o.CropSize, nameof(o.CropSize), "must lie in [16, 1024] pixels");
    }

    /// <summary>Returns T, the number of frames per video of options that passed <see cref="Validate"/>.</summary>
    public static int FrameCount(SyntheticAffWild2Options options) => (int)Math.Round(options.SecondsPerVideo * options.FramesPerSecond);

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

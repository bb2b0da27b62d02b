using FFMpegCore;
using FFMpegCore.Exceptions;

namespace Sage.MLNet.Media;

/// <summary>What ffprobe says about a video file, read the same way wherever the library needs it.</summary>
internal static class VideoProbe
{
    /// <summary>Runs ffprobe on <paramref name="videoFile"/>.</summary>
    /// <exception cref="InvalidDataException">ffprobe cannot read the file; the message names it and quotes ffprobe.</exception>
    public static IMediaAnalysis Analyse(string videoFile, FFOptions options)
    {
        try
        {
            return FFProbe.Analyse(videoFile, options);
        }
        catch (FFMpegException e)
        {
            throw new InvalidDataException($"video file '{videoFile}' cannot be read by ffprobe: {e.Message}", e);
        }
    }

    /// <summary>
    /// Returns whether the stream's frames are not evenly spaced: its average rate (frames over duration) differs from its
    /// base rate by more than 0.5%. Constant-rate files give equal rates; phones and screen recorders do not.
    /// </summary>
    public static bool IsVariableRate(VideoStream video) =>
        double.IsFinite(video.AverageFrameRate) && video.AverageFrameRate > 0
        && double.IsFinite(video.RealFrameRate) && video.RealFrameRate > 0
        && Math.Abs(video.AverageFrameRate - video.RealFrameRate) > 0.005 * video.RealFrameRate;

    /// <summary>Returns avg_frame_rate, or r_frame_rate where ffprobe gives no average; null when neither is a positive number.</summary>
    public static double? FrameRate(VideoStream video)
    {
        foreach (var rate in new[] { video.AverageFrameRate, video.RealFrameRate })
        {
            if (double.IsFinite(rate) && rate > 0)
            {
                return rate;
            }
        }
        return null;
    }
}

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

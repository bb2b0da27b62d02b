using FFMpegCore;
using FFMpegCore.Exceptions;

namespace Sage.MLNet.Data.AffWild2;

/// <summary>Estimates how many frames a video file holds from ffprobe's header data, without decoding it.</summary>
internal static class VideoFrameCount
{
    /// <summary>Returns round(duration × average frame rate) of the file's first video stream.</summary>
    /// <remarks>The stream's duration is used, or the container's where the stream gives none (some AVI files).</remarks>
    /// <exception cref="InvalidDataException">ffprobe cannot read the file, or it has no video stream, frame rate or duration; the message names the file.</exception>
    public static int Estimate(string videoFile, FFOptions options)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = FFProbe.Analyse(videoFile, options);
        }
        catch (FFMpegException e)
        {
            throw new InvalidDataException($"video file '{videoFile}' cannot be read by ffprobe: {FirstLine(e.Message)}", e);
        }
        var stream = analysis.PrimaryVideoStream
            ?? throw new InvalidDataException($"video file '{videoFile}' has no video stream");
        var rate = double.IsFinite(stream.AverageFrameRate) && stream.AverageFrameRate > 0 ? stream.AverageFrameRate : stream.RealFrameRate;
        var seconds = stream.Duration > TimeSpan.Zero ? stream.Duration.TotalSeconds : analysis.Duration.TotalSeconds;
        if (!double.IsFinite(rate) || rate <= 0 || seconds <= 0)
        {
            throw new InvalidDataException($"video file '{videoFile}': ffprobe reports no usable frame rate ({rate}) or duration ({seconds} s)");
        }
        return (int)Math.Round(seconds * rate);
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}

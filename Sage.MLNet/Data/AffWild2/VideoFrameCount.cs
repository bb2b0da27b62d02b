using FFMpegCore;
using Sage.MLNet.Media;

namespace Sage.MLNet.Data.AffWild2;

/// <summary>Estimates how many frames a video file holds from ffprobe's header data, without decoding it.</summary>
internal static class VideoFrameCount
{
    /// <summary>Returns round(duration × frame rate) of the file's first video stream, with the frame rate audio featurisation uses.</summary>
    /// <remarks>The stream's duration is used, or the container's where the stream gives none (some AVI files).</remarks>
    /// <exception cref="InvalidDataException">ffprobe cannot read the file, or it has no video stream, frame rate or duration; the message names the file.</exception>
    public static int Estimate(string videoFile, FFOptions options)
    {
        var analysis = VideoProbe.Analyse(videoFile, options);
        var stream = analysis.PrimaryVideoStream
            ?? throw new InvalidDataException($"video file '{videoFile}' has no video stream");
        var rate = VideoProbe.FrameRate(stream);
        var seconds = stream.Duration > TimeSpan.Zero ? stream.Duration.TotalSeconds : analysis.Duration.TotalSeconds;
        if (rate is null || seconds <= 0)
        {
            throw new InvalidDataException($"video file '{videoFile}': ffprobe reports no usable frame rate or duration ({seconds} s)");
        }
        return (int)Math.Round(seconds * rate.Value);
    }
}

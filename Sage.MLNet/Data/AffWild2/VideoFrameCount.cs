using FFMpegCore;
using Sage.MLNet.Media;

namespace Sage.MLNet.Data.AffWild2;

/// <summary>
/// Counts a video file's frames as <see cref="VideoFrameReader"/> defines them (the frames ffmpeg decodes), decoding only
/// where ffprobe's header estimate disagrees with the count it is checked against: decoding every video of a 594-video copy
/// would take as long as decoding the copy, the estimate takes one ffprobe call.
/// </summary>
internal static class VideoFrameCount
{
    /// <summary>Returns the number of frames ffmpeg decodes (the definition every other part uses), counted without passing their pixels.</summary>
    /// <exception cref="InvalidDataException">ffmpeg cannot decode the file; the message names it.</exception>
    public static int Decoded(string videoFile, FFOptions options) => VideoFrameTimes.Read(videoFile, options).Length;

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

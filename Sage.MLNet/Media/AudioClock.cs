namespace Sage.MLNet.Media;

/// <summary>What ffprobe says of a video before its audio is decoded: the clock that maps video frames onto the 16 kHz waveform.</summary>
/// <param name="FramesPerSecond">The video stream's frame rate (its average rate for a variable-rate file).</param>
/// <param name="VideoOffsetSeconds">Video start time minus audio start time, so that frame 0's time on the waveform is this value.</param>
/// <param name="DurationSeconds">The container's duration, which sizes buffers; the decoded length may differ slightly.</param>
/// <remarks>
/// A constant-rate video's frame t lies at <see cref="VideoOffsetSeconds"/> + t / <see cref="FramesPerSecond"/>. A
/// variable-rate one carries <see cref="FrameTimes"/>, each frame's own time as the library's frame reader defines
/// frames (Media/VideoFrameReader), already moved onto the waveform's timeline.
/// </remarks>
internal sealed record AudioClock(double FramesPerSecond, double VideoOffsetSeconds, double DurationSeconds)
{
    /// <summary>Each decoded frame's time in seconds from the waveform's first sample; null for a constant-rate video.</summary>
    public double[]? FrameTimes { get; init; }

    /// <summary>Returns frame <paramref name="frame"/>'s time in seconds from the waveform's first sample.</summary>
    /// <remarks>With <see cref="FrameTimes"/>, a frame past the last decoded one continues from it at the average rate.</remarks>
    public double FrameTime(int frame) => FrameTimes is { Length: > 0 } times
        ? frame < times.Length ? times[frame] : times[^1] + (frame - times.Length + 1) / FramesPerSecond
        : VideoOffsetSeconds + frame / FramesPerSecond;
}

namespace Sage.MLNet.Media;

/// <summary>What ffprobe says of a video before its audio is decoded: the clock that maps video frames onto the 16 kHz waveform.</summary>
/// <param name="FramesPerSecond">The video stream's frame rate.</param>
/// <param name="VideoOffsetSeconds">Video start time minus audio start time, so that frame 0's time on the waveform is this value.</param>
/// <param name="DurationSeconds">The container's duration, which sizes buffers; the decoded length may differ slightly.</param>
internal sealed record AudioClock(double FramesPerSecond, double VideoOffsetSeconds, double DurationSeconds)
{
    /// <summary>Returns frame <paramref name="frame"/>'s time in seconds from the waveform's first sample.</summary>
    public double FrameTime(int frame) => VideoOffsetSeconds + frame / FramesPerSecond;
}

namespace Sage.MLNet.Featurization.Audio;

/// <summary>One video's audio track as a 16 kHz mono waveform, with the clock that maps video frames onto it.</summary>
/// <param name="Samples">The waveform in [−1, 1]; only the first <paramref name="SampleCount"/> values are audio.</param>
/// <param name="SampleCount">Number of decoded samples.</param>
/// <param name="FramesPerSecond">The video stream's frame rate.</param>
/// <param name="VideoOffsetSeconds">Video start time minus audio start time, so that frame 0's time on the waveform is this value.</param>
internal sealed record DecodedAudio(float[] Samples, int SampleCount, double FramesPerSecond, double VideoOffsetSeconds)
{
    public const int SampleRate = 16000;

    /// <summary>Returns frame <paramref name="frame"/>'s time in seconds from the waveform's first sample.</summary>
    public double FrameTime(int frame) => VideoOffsetSeconds + frame / FramesPerSecond;

    public double DurationSeconds => (double)SampleCount / SampleRate;
}

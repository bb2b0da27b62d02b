namespace Sage.MLNet.Media;

/// <summary>One video's whole audio track as a 16 kHz mono waveform, with the clock that maps video frames onto it.</summary>
/// <param name="Samples">The waveform in [−1, 1]; only the first <paramref name="SampleCount"/> values are audio.</param>
/// <param name="SampleCount">Number of decoded samples.</param>
/// <param name="Clock">Frame rate and offset of the video against the waveform.</param>
internal sealed record DecodedAudio(float[] Samples, int SampleCount, AudioClock Clock)
{
    public const int SampleRate = 16000;

    /// <summary>Returns frame <paramref name="frame"/>'s time in seconds from the waveform's first sample.</summary>
    public double FrameTime(int frame) => Clock.FrameTime(frame);

}

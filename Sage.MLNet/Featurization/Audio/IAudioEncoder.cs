using Sage.MLNet.Media;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>Turns a video's waveform into Da features for each video frame. Implementations are thread-safe.</summary>
internal interface IAudioEncoder : IDisposable
{
    /// <summary>Da, the number of features per video frame.</summary>
    int FeatureSize { get; }

    /// <summary>
    /// Starts one video: the returned encoding takes its 16 kHz waveform block by block and, once completed, has written
    /// <paramref name="frameCount"/> × <see cref="FeatureSize"/> values, frame-major, into <paramref name="features"/>.
    /// </summary>
    IAudioEncoding Start(AudioClock clock, int frameCount, float[] features);
}

/// <summary>One video's encoding in progress; used by one thread.</summary>
internal interface IAudioEncoding
{
    /// <summary>Takes the next block of the waveform, in [−1, 1].</summary>
    void Append(ReadOnlySpan<float> samples);

    /// <summary>Writes every frame's features not written yet; called once, after the last block, and only when there was at least one sample.</summary>
    void Complete();
}

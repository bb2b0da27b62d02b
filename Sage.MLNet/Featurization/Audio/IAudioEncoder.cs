namespace Sage.MLNet.Featurization.Audio;

/// <summary>Turns a decoded waveform into Da features for each video frame. Implementations are thread-safe.</summary>
internal interface IAudioEncoder : IDisposable
{
    /// <summary>Da, the number of features per video frame.</summary>
    int FeatureSize { get; }

    /// <summary>Writes <paramref name="frameCount"/> × <see cref="FeatureSize"/> values, frame-major, into <paramref name="features"/>.</summary>
    void Encode(DecodedAudio audio, int frameCount, Span<float> features);
}

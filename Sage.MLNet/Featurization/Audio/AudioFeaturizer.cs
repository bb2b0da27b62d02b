using Microsoft.ML.OnnxRuntime;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>Featurises one video at a time: decode its audio, encode it, align it to T video frames. Thread-safe.</summary>
/// <remarks>Holds one video's waveform and features at a time per calling thread.</remarks>
internal sealed class AudioFeaturizer : IDisposable
{
    private readonly AudioDecoder _decoder;
    private readonly IAudioEncoder _encoder;
    private readonly SageMissingAudioPolicy _missingAudio;

    public AudioFeaturizer(AudioDecoder decoder, IAudioEncoder encoder, SageMissingAudioPolicy missingAudio)
    {
        _decoder = decoder;
        _encoder = encoder;
        _missingAudio = missingAudio;
    }

    /// <summary>Da, the number of features per video frame.</summary>
    public int FeatureSize => _encoder.FeatureSize;

    /// <summary>Returns <paramref name="frameCount"/> × Da features, frame-major.</summary>
    /// <exception cref="InvalidDataException">The video cannot be read or decoded, or has no audio under <see cref="SageMissingAudioPolicy.Error"/>; the message names it.</exception>
    public float[] Featurize(string videoFile, int frameCount)
    {
        if (frameCount < 0)
        {
            throw new InvalidDataException($"video '{videoFile}': frame count {frameCount} is negative");
        }
        var features = new float[(long)frameCount * FeatureSize];
        var audio = _decoder.Decode(videoFile);
        if (audio is null || audio.SampleCount == 0)
        {
            return _missingAudio == SageMissingAudioPolicy.Zeros
                ? features
                : throw new InvalidDataException(
                    $"video '{videoFile}' has no audio track; set {nameof(SageAudioFeaturizerOptions.MissingAudio)} = {nameof(SageMissingAudioPolicy)}.{nameof(SageMissingAudioPolicy.Zeros)} to give such videos zero features");
        }
        try
        {
            _encoder.Encode(audio, frameCount, features);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            throw new InvalidDataException($"video '{videoFile}': {e.Message}", e);
        }
        return features;
    }

    public void Dispose() => _encoder.Dispose();
}

using Microsoft.ML.OnnxRuntime;

using Sage.MLNet.Media;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>Featurises one video at a time: decode its audio, encode it, align it to T video frames. Thread-safe.</summary>
/// <remarks>Holds one video's features, and what its encoder keeps of the waveform, at a time per calling thread.</remarks>
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

    /// <summary>Returns the featurizer <paramref name="options"/> describe: ffmpeg found, and log-mel statistics or the ONNX encoder they name.</summary>
    /// <remarks>The face featurizer is composed the same way, by <c>FaceFeaturizer.Create</c>; the estimators only add the cache around it.</remarks>
    public static AudioFeaturizer Create(SageAudioFeaturizerOptions options)
    {
        var ffOptions = FFMpegBinaries.Find(options.FFMpegBinaryFolder);
        IAudioEncoder encoder = options.EncoderModelPath is null
            ? new LogMelEncoder(options.MelBands)
            : new OnnxAudioEncoder(options.EncoderModelPath);
        return new AudioFeaturizer(new AudioDecoder(ffOptions), encoder, options.MissingAudio);
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
        var clock = _decoder.Probe(videoFile);
        var encoding = clock is null ? null : _encoder.Start(clock, frameCount, features);
        if (encoding is null || _decoder.Decode(videoFile, encoding.Append) == 0)
        {
            return _missingAudio == SageMissingAudioPolicy.Zeros
                ? features
                : throw new InvalidDataException(
                    $"video '{videoFile}' has no audio track; set {nameof(SageAudioFeaturizerOptions.MissingAudio)} = {nameof(SageMissingAudioPolicy)}.{nameof(SageMissingAudioPolicy.Zeros)} to give such videos zero features");
        }
        try
        {
            encoding.Complete();
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            throw new InvalidDataException($"video '{videoFile}': {e.Message}", e);
        }
        return features;
    }

    public void Dispose() => _encoder.Dispose();
}

using Microsoft.ML.OnnxRuntime;

using Sage.MLNet.Media;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>
/// Runs an ONNX audio encoder (waveform <c>[1, samples]</c> → <c>[1, steps, D]</c>) over the waveform in chunks of
/// 30 s and interpolates its steps linearly to the video frame times, so Da = D.
/// </summary>
/// <remarks>
/// A chunk's steps are taken to span the chunk evenly: step s of S in a chunk of d seconds starting at a is centred at
/// a + (s + 0.5)·d/S. Frames before the first step's centre take the first step; frames after the last step's centre
/// (including frames past the end of the audio) take the last step. Chunking bounds the encoder's memory on long
/// videos; the model sees no context across a chunk boundary. A last chunk shorter than 1 s joins the one before it.
/// The ONNX Runtime session is shared by all threads (its Run is thread-safe) and disposed with the encoder.
/// Unlike the log-mel encoder it holds the whole waveform of a video (4 bytes per sample at 16 kHz, 77 MB for 20 minutes).
/// </remarks>
internal sealed class OnnxAudioEncoder : IAudioEncoder
{
    private const int ChunkSamples = 30 * DecodedAudio.SampleRate;
    private const int ShortestChunkSamples = DecodedAudio.SampleRate;

    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;

    /// <exception cref="InvalidDataException">The model's input or output does not have the expected shape; the message names the file.</exception>
    public OnnxAudioEncoder(string modelPath)
    {
        _session = new InferenceSession(modelPath);
        try
        {
            var input = _session.InputMetadata.First();
            var output = _session.OutputMetadata.First();
            if (_session.InputMetadata.Count != 1 || input.Value.ElementType != typeof(float) || input.Value.Dimensions.Length != 2)
            {
                throw new InvalidDataException($"audio encoder '{modelPath}' must take one Single input [1, samples]; its input '{input.Key}' has shape [{string.Join(", ", input.Value.Dimensions)}] of {input.Value.ElementType.Name}");
            }
            var dims = output.Value.Dimensions;
            if (output.Value.ElementType != typeof(float) || dims.Length != 3 || dims[2] <= 0)
            {
                throw new InvalidDataException($"audio encoder '{modelPath}': its first output '{output.Key}' must be Single [1, steps, D] with a fixed D; it has shape [{string.Join(", ", dims)}] of {output.Value.ElementType.Name}");
            }
            _inputName = input.Key;
            _outputName = output.Key;
            FeatureSize = dims[2];
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public int FeatureSize { get; }

    /// <summary>Returns an encoding that keeps the whole waveform and runs the model on it when completed.</summary>
    public IAudioEncoding Start(AudioClock clock, int frameCount, float[] features) => new Encoding(this, clock, frameCount, features);

    private void Encode(DecodedAudio audio, int frameCount, Span<float> features)
    {
        var (stepTimes, steps) = Steps(audio);
        for (var t = 0; t < frameCount; t++)
        {
            Interpolate(stepTimes, steps, audio.FrameTime(t), features.Slice(t * FeatureSize, FeatureSize));
        }
    }

    /// <summary>Returns every step's centre time (seconds) and its D values, chunk after chunk.</summary>
    private (List<double> Times, List<float[]> Values) Steps(DecodedAudio audio)
    {
        var times = new List<double>();
        var values = new List<float[]>();
        var start = 0;
        do
        {
            var length = Math.Min(ChunkSamples, audio.SampleCount - start);
            if (audio.SampleCount - (start + length) < ShortestChunkSamples)
            {
                length = audio.SampleCount - start;
            }
            RunChunk(audio, start, length, times, values);
            start += length;
        }
        while (start < audio.SampleCount);
        if (values.Count == 0)
        {
            throw new InvalidDataException($"the audio encoder gave no steps for {audio.SampleCount} samples");
        }
        return (times, values);
    }

    private void RunChunk(DecodedAudio audio, int start, int length, List<double> times, List<float[]> values)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, audio.Samples.AsMemory(start, length), [1, length]);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_inputName], [input], [_outputName]);
        var output = outputs[0];
        var shape = output.GetTensorTypeAndShape().Shape;        // [1, steps, D]
        var stepCount = (int)shape[1];
        if (stepCount == 0)
        {
            return;
        }
        var data = output.GetTensorDataAsSpan<float>();
        var stepSeconds = (double)length / DecodedAudio.SampleRate / stepCount;
        var startSeconds = (double)start / DecodedAudio.SampleRate;
        for (var s = 0; s < stepCount; s++)
        {
            times.Add(startSeconds + (s + 0.5) * stepSeconds);
            values.Add(data.Slice(s * FeatureSize, FeatureSize).ToArray());
        }
    }

    private static void Interpolate(List<double> times, List<float[]> values, double time, Span<float> output)
    {
        var after = times.BinarySearch(time);
        if (after >= 0)
        {
            values[after].CopyTo(output);
            return;
        }
        after = ~after;
        if (after == 0 || after == times.Count)
        {
            values[after == 0 ? 0 : times.Count - 1].CopyTo(output);
            return;
        }
        var weight = (float)((time - times[after - 1]) / (times[after] - times[after - 1]));
        var (left, right) = (values[after - 1], values[after]);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = left[i] + weight * (right[i] - left[i]);
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Collects the waveform (sized by the container's duration, plus a second) and encodes it on completion.</summary>
    private sealed class Encoding(OnnxAudioEncoder encoder, AudioClock clock, int frameCount, float[] features) : IAudioEncoding
    {
        private readonly WaveformBuffer _waveform = new((int)Math.Min(int.MaxValue / 2, Math.Ceiling(clock.DurationSeconds * DecodedAudio.SampleRate) + DecodedAudio.SampleRate));

        public void Append(ReadOnlySpan<float> samples) => _waveform.Append(samples);

        public void Complete() => encoder.Encode(new DecodedAudio(_waveform.Samples, _waveform.Count, clock), frameCount, features);
    }
}

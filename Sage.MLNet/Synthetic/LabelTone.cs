namespace Sage.MLNet.Synthetic;

/// <summary>
/// Synthesises a video's audio from one person's labels: a sine tone whose loudness follows arousal and whose
/// pitch follows valence, replaced by silence or white noise in the person's audio stages.
/// </summary>
internal sealed class LabelTone
{
    /// <summary>Sample rate of the synthesised audio, in Hz: the rate the audio featurizer decodes to.</summary>
    public const int SampleRate = 16000;

    /// <summary>Peak amplitude of the noise stages, as a fraction of full scale: about as loud as a mid-arousal tone.</summary>
    public const double NoiseAmplitude = 0.3;

    // About 6 ms: stage and label changes fade instead of clicking, which would spread energy over every band.
    private const double Smoothing = 0.01;

    private readonly SyntheticPerson _person;
    private readonly double _framesPerSecond;
    private readonly Random _noise;
    private double _phase;
    private double _toneGain = 1;
    private double _noiseGain;

    public LabelTone(SyntheticPerson person, double framesPerSecond, Random noise)
    {
        _person = person;
        _framesPerSecond = framesPerSecond;
        _noise = noise;
    }

    /// <summary>Returns the tone's amplitude for <paramref name="arousal"/>: 0.05 at −1 to 0.5 at 1.</summary>
    public static double Amplitude(double arousal) => 0.05 + 0.45 * (arousal + 1) / 2;

    /// <summary>Returns the tone's pitch for <paramref name="valence"/>, in Hz: 110 at −1 to 440 at 1.</summary>
    public static double Frequency(double valence) => 220 * Math.Pow(2, valence);

    /// <summary>Returns the 16-bit little-endian mono samples that play during frame <paramref name="frame"/>; call for frames 0, 1, 2, ... in turn.</summary>
    public byte[] NextFrame(int frame)
    {
        var first = SampleAt(frame);
        var count = (int)(SampleAt(frame + 1) - first);
        var pcm = new byte[count * 2];
        var degradation = _person.AudioDegradation(frame);
        var toneTarget = degradation is null ? 1.0 : 0.0;
        var noiseTarget = degradation == SyntheticDegradation.AudioNoise ? 1.0 : 0.0;
        for (var i = 0; i < count; i++)
        {
            // Labels are interpolated between frames so that pitch and loudness glide rather than step 25 times a second.
            var position = Math.Min((first + i) * _framesPerSecond / SampleRate, _person.Frames - 1);
            var valence = Interpolate(_person.Valence, position);
            var arousal = Interpolate(_person.Arousal, position);
            _phase = (_phase + 2 * Math.PI * Frequency(valence) / SampleRate) % (2 * Math.PI);
            _toneGain += (toneTarget - _toneGain) * Smoothing;
            _noiseGain += (noiseTarget - _noiseGain) * Smoothing;
            var sample = _toneGain * Amplitude(arousal) * Math.Sin(_phase)
                + _noiseGain * NoiseAmplitude * (2 * _noise.NextDouble() - 1);
            var value = (short)Math.Clamp(Math.Round(sample * short.MaxValue), short.MinValue, short.MaxValue);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(pcm.AsSpan(i * 2), value);
        }
        return pcm;
    }

    private long SampleAt(int frame) => (long)Math.Round(frame * SampleRate / _framesPerSecond);

    private static double Interpolate(double[] values, double position)
    {
        var index = (int)position;
        var next = Math.Min(index + 1, values.Length - 1);
        var fraction = position - index;
        return values[index] * (1 - fraction) + values[next] * fraction;
    }
}

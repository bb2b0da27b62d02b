using NWaves.FeatureExtractors;
using NWaves.FeatureExtractors.Options;
using NWaves.Filters.Fda;
using NWaves.Windows;

using Sage.MLNet.Media;

namespace Sage.MLNet.Featurization.Audio;

/// <summary>
/// The default audio encoder: log mel-filterbank energies over 25 ms Hamming windows every 10 ms, summarised per
/// video frame as the mean and the standard deviation of each band, so Da = 2 × bands (means first, then stds).
/// </summary>
/// <remarks>
/// A video frame at time c (seconds) summarises the mel frames whose centre lies in [c − 0.5/fps, c + 0.5/fps);
/// when no mel frame's centre lies there (a frame rate above 100 fps, or a frame before the audio starts or after it
/// ends) it takes the nearest mel frame alone, whose standard deviations are 0. Frames past the end of the audio
/// therefore repeat the last mel frame.
/// </remarks>
internal sealed class LogMelEncoder : IAudioEncoder
{
    internal const int FrameSize = 400;          // 25 ms at 16 kHz
    internal const int HopSize = 160;            // 10 ms at 16 kHz
    internal const int FftSize = 512;
    internal const float LogFloor = 1e-10f;      // digital silence gives ln(1e-10) ≈ −23 rather than −∞

    private readonly int _bands;
    private readonly float[][] _filterBank;

    public LogMelEncoder(int bands)
    {
        _bands = bands;
        var melBands = FilterBanks.MelBands(bands, DecodedAudio.SampleRate, 0, DecodedAudio.SampleRate / 2.0, true);
        _filterBank = FilterBanks.Triangular(FftSize, DecodedAudio.SampleRate, melBands, null, NWaves.Utils.Scale.HerzToMel);
    }

    public int FeatureSize => 2 * _bands;

    /// <summary>Returns an encoding that computes mel frames as the waveform arrives and keeps only those a frame still needs.</summary>
    public IAudioEncoding Start(AudioClock clock, int frameCount, float[] features) => new Encoding(this, clock, frameCount, features);

    /// <summary>Returns an extractor of one log-mel vector per 10 ms hop; one per video keeps the encoder thread-safe.</summary>
    internal FilterbankExtractor Extractor() => new(new FilterbankOptions
    {
        SamplingRate = DecodedAudio.SampleRate,
        FrameSize = FrameSize,
        HopSize = HopSize,
        FftSize = FftSize,
        FilterBank = _filterBank,
        Window = WindowType.Hamming,
        SpectrumType = SpectrumType.Power,
        NonLinearity = NonLinearityType.LogE,
        LogFloor = LogFloor,
    });

    /// <summary>Returns the first and last mel frame whose centre lies within ±<paramref name="halfWidth"/> s of <paramref name="centre"/>, or the nearest one.</summary>
    internal static (int First, int Last) MelFramesOf(double centre, double halfWidth, int melFrameCount)
    {
        // Mel frame k's centre is (k·hop + frame/2) / rate seconds.
        double Index(double seconds) => (seconds * DecodedAudio.SampleRate - FrameSize / 2.0) / HopSize;
        var first = Math.Max(0, (int)Math.Ceiling(Index(centre - halfWidth)));
        var last = Math.Min(melFrameCount - 1, (int)Math.Ceiling(Index(centre + halfWidth)) - 1);
        if (first > last)
        {
            var nearest = Math.Clamp((int)Math.Round(Index(centre)), 0, melFrameCount - 1);
            return (nearest, nearest);
        }
        return (first, last);
    }

    /// <summary>Writes the mean and standard deviation of each band over mel frames <paramref name="first"/> … <paramref name="last"/>.</summary>
    /// <param name="melFrames">The mel frames kept, the first being mel frame <paramref name="firstKept"/>.</param>
    /// <param name="firstKept">The index of <paramref name="melFrames"/>[0] among all mel frames.</param>
    /// <param name="first">The first mel frame summarised.</param>
    /// <param name="last">The last mel frame summarised.</param>
    /// <param name="output">Da values: the means, then the standard deviations.</param>
    internal void Summarise(List<float[]> melFrames, int firstKept, int first, int last, Span<float> output)
    {
        var count = last - first + 1;
        for (var band = 0; band < _bands; band++)
        {
            double sum = 0, sumOfSquares = 0;
            for (var k = first; k <= last; k++)
            {
                double value = melFrames[k - firstKept][band];
                sum += value;
                sumOfSquares += value * value;
            }
            var mean = sum / count;
            output[band] = (float)mean;
            output[_bands + band] = (float)Math.Sqrt(Math.Max(0, sumOfSquares / count - mean * mean));
        }
    }

    /// <summary>
    /// One video in progress. Mel frame k covers samples [k·hop, k·hop + 400); it is computed as soon as they have arrived.
    /// A video frame is written as soon as every mel frame it summarises exists, and mel frames no later frame needs are
    /// dropped, so memory holds one window of samples and a few mel frames however long the video is. The values are
    /// those of computing every mel frame of the whole waveform first: each mel frame depends on its own samples only.
    /// </summary>
    private sealed class Encoding(LogMelEncoder encoder, AudioClock clock, int frameCount, float[] features) : IAudioEncoding
    {
        private readonly FilterbankExtractor _extractor = encoder.Extractor();
        private readonly double _halfWidth = 0.5 / clock.FramesPerSecond;
        private readonly List<float[]> _kept = [];      // mel frames _firstKept, _firstKept + 1, …
        private float[] _samples = new float[4 * FrameSize];
        private int _sampleCount;                       // valid values in _samples; _samples[0] is waveform sample _melFrames · hop
        private int _melFrames;                         // mel frames computed so far
        private int _firstKept;
        private int _nextFrame;                         // the first video frame not written yet

        public void Append(ReadOnlySpan<float> samples)
        {
            if (_nextFrame == frameCount)
            {
                return;         // every frame is written; the rest of the waveform is not needed
            }
            if (_sampleCount + samples.Length > _samples.Length)
            {
                Array.Resize(ref _samples, Math.Max(2 * _samples.Length, _sampleCount + samples.Length));
            }
            samples.CopyTo(_samples.AsSpan(_sampleCount));
            _sampleCount += samples.Length;
            if (_sampleCount < FrameSize)
            {
                return;
            }
            var computed = _extractor.ComputeFrom(_samples, 0, _sampleCount);
            _kept.AddRange(computed);
            _melFrames += computed.Count;
            var consumed = computed.Count * HopSize;
            _samples.AsSpan(consumed, _sampleCount - consumed).CopyTo(_samples);
            _sampleCount -= consumed;
            WriteFrames(final: false);
        }

        public void Complete()
        {
            if (_melFrames == 0 && _sampleCount > 0)
            {
                // Shorter than one window: zero-pad to one window so every video frame has a mel frame.
                var padded = new float[FrameSize];
                _samples.AsSpan(0, _sampleCount).CopyTo(padded);
                _kept.AddRange(_extractor.ComputeFrom(padded));
                _melFrames = 1;
            }
            WriteFrames(final: true);
        }

        /// <summary>Writes the frames whose mel frames all exist (all remaining ones when <paramref name="final"/>), then drops mel frames no later frame needs.</summary>
        private void WriteFrames(bool final)
        {
            for (; _nextFrame < frameCount; _nextFrame++)
            {
                var centre = clock.FrameTime(_nextFrame);
                // With every mel frame known, the last one clamps the window; before that, a frame waits until its whole window exists.
                var (first, last) = MelFramesOf(centre, _halfWidth, final ? _melFrames : int.MaxValue);
                if (!final && last >= _melFrames)
                {
                    break;
                }
                encoder.Summarise(_kept, _firstKept, first, last, features.AsSpan(_nextFrame * encoder.FeatureSize, encoder.FeatureSize));
            }
            if (_nextFrame < frameCount)
            {
                // Windows and nearest frames only move forward with time; the last mel frame stays for frames past the end.
                var needed = Math.Min(MelFramesOf(clock.FrameTime(_nextFrame), _halfWidth, int.MaxValue).First, _melFrames - 1);
                if (needed > _firstKept)
                {
                    _kept.RemoveRange(0, needed - _firstKept);
                    _firstKept = needed;
                }
            }
        }
    }

    /// <summary>Does nothing: the filterbank is managed memory.</summary>
    public void Dispose()
    {
    }
}

using NWaves.FeatureExtractors;
using NWaves.FeatureExtractors.Options;
using NWaves.Filters.Fda;
using NWaves.Windows;

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
    private const int FrameSize = 400;          // 25 ms at 16 kHz
    private const int HopSize = 160;            // 10 ms at 16 kHz
    private const int FftSize = 512;
    private const float LogFloor = 1e-10f;      // digital silence gives ln(1e-10) ≈ −23 rather than −∞

    private readonly int _bands;
    private readonly float[][] _filterBank;

    public LogMelEncoder(int bands)
    {
        _bands = bands;
        var melBands = FilterBanks.MelBands(bands, DecodedAudio.SampleRate, 0, DecodedAudio.SampleRate / 2.0, true);
        _filterBank = FilterBanks.Triangular(FftSize, DecodedAudio.SampleRate, melBands, null, NWaves.Utils.Scale.HerzToMel);
    }

    public int FeatureSize => 2 * _bands;

    public void Encode(DecodedAudio audio, int frameCount, Span<float> features)
    {
        var melFrames = LogMel(audio);
        for (var t = 0; t < frameCount; t++)
        {
            var (first, last) = MelFramesOf(audio.FrameTime(t), 0.5 / audio.FramesPerSecond, melFrames.Count);
            Summarise(melFrames, first, last, features.Slice(t * FeatureSize, FeatureSize));
        }
    }

    /// <summary>Returns one log-mel vector per 10 ms hop; an extractor per call keeps this thread-safe.</summary>
    private List<float[]> LogMel(DecodedAudio audio)
    {
        var extractor = new FilterbankExtractor(new FilterbankOptions
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
        if (audio.SampleCount < FrameSize)
        {
            // Shorter than one window: zero-pad to one window so every video frame has a mel frame.
            var padded = new float[FrameSize];
            Array.Copy(audio.Samples, padded, audio.SampleCount);
            return extractor.ComputeFrom(padded);
        }
        return extractor.ComputeFrom(audio.Samples, 0, audio.SampleCount);
    }

    /// <summary>Returns the first and last mel frame whose centre lies within ±<paramref name="halfWidth"/> s of <paramref name="centre"/>, or the nearest one.</summary>
    private static (int First, int Last) MelFramesOf(double centre, double halfWidth, int melFrameCount)
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

    private void Summarise(List<float[]> melFrames, int first, int last, Span<float> output)
    {
        var count = last - first + 1;
        for (var band = 0; band < _bands; band++)
        {
            double sum = 0, sumOfSquares = 0;
            for (var k = first; k <= last; k++)
            {
                double value = melFrames[k][band];
                sum += value;
                sumOfSquares += value * value;
            }
            var mean = sum / count;
            output[band] = (float)mean;
            output[_bands + band] = (float)Math.Sqrt(Math.Max(0, sumOfSquares / count - mean * mean));
        }
    }

    /// <summary>Does nothing: the filterbank is managed memory.</summary>
    public void Dispose()
    {
    }
}

using NWaves.FeatureExtractors;
using Sage.MLNet.Featurization.Audio;

namespace Sage.MLNet.Live;

/// <summary>
/// The log-mel audio features of a live stream: mel frames are computed as the samples arrive, exactly as
/// <see cref="LogMelEncoder"/> computes them for a file (mel frame k covers samples [k·hop, k·hop + 400) of the waveform),
/// and a video frame's mean and standard deviation per band are read from them on demand.
/// </summary>
/// <remarks>Not thread-safe: the predictor guards it. Memory: the mel frames of the frames still in the window.</remarks>
internal sealed class LiveAudio : IDisposable
{
    private readonly LogMelEncoder _encoder;
    private readonly FilterbankExtractor _extractor;
    private readonly List<float[]> _kept = [];      // mel frames _firstKept, _firstKept + 1, …
    private float[] _samples = new float[4 * LogMelEncoder.FrameSize];
    private int _sampleCount;                       // samples not yet consumed by a mel frame
    private int _melFrames;                         // mel frames computed so far
    private int _firstKept;

    public LiveAudio(int melBands)
    {
        _encoder = new LogMelEncoder(melBands);
        _extractor = _encoder.Extractor();
    }

    /// <summary>Da: the mean and the standard deviation of each band.</summary>
    public int FeatureSize => _encoder.FeatureSize;

    /// <summary>Samples received so far, at 16 kHz.</summary>
    public long SampleCount { get; private set; }

    /// <summary>Takes the next block of the 16 kHz mono waveform, in [−1, 1].</summary>
    public void Append(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }
        SampleCount += samples.Length;
        if (_sampleCount + samples.Length > _samples.Length)
        {
            Array.Resize(ref _samples, Math.Max(2 * _samples.Length, _sampleCount + samples.Length));
        }
        samples.CopyTo(_samples.AsSpan(_sampleCount));
        _sampleCount += samples.Length;
        if (_sampleCount < LogMelEncoder.FrameSize)
        {
            return;
        }
        var computed = _extractor.ComputeFrom(_samples, 0, _sampleCount);
        _kept.AddRange(computed);
        _melFrames += computed.Count;
        var consumed = computed.Count * LogMelEncoder.HopSize;
        _samples.AsSpan(consumed, _sampleCount - consumed).CopyTo(_samples);
        _sampleCount -= consumed;
    }

    /// <summary>
    /// Writes the features of the video frame centred at <paramref name="centre"/> seconds on the waveform; returns true when
    /// they are final (every mel frame they summarise exists), false when they are provisional (the nearest mel frames so far,
    /// as a file's last frames take them) or there is no audio yet (zeros).
    /// </summary>
    public bool Write(double centre, double halfWidth, Span<float> output)
    {
        if (_melFrames == 0)
        {
            output.Clear();
            return false;
        }
        var (first, last) = LogMelEncoder.MelFramesOf(centre, halfWidth, int.MaxValue);
        var final = last < _melFrames;
        if (!final)
        {
            (first, last) = LogMelEncoder.MelFramesOf(centre, halfWidth, _melFrames);
        }
        first = Math.Max(first, _firstKept);
        last = Math.Max(last, first);
        _encoder.Summarise(_kept, _firstKept, first, last, output);
        return final;
    }

    /// <summary>Drops the mel frames that no video frame centred at or after <paramref name="centre"/> needs.</summary>
    public void Forget(double centre, double halfWidth)
    {
        if (_melFrames == 0)
        {
            return;
        }
        var needed = Math.Min(LogMelEncoder.MelFramesOf(centre, halfWidth, int.MaxValue).First, _melFrames - 1);
        if (needed > _firstKept)
        {
            _kept.RemoveRange(0, needed - _firstKept);
            _firstKept = needed;
        }
    }

    public void Dispose() => _encoder.Dispose();
}

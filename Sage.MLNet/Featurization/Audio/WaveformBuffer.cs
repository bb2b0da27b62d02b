namespace Sage.MLNet.Featurization.Audio;

/// <summary>Collects a whole waveform block by block, for encoders that need all of it at once.</summary>
internal sealed class WaveformBuffer(int capacity)
{
    public float[] Samples { get; private set; } = new float[Math.Max(1, capacity)];

    public int Count { get; private set; }

    public void Append(ReadOnlySpan<float> samples)
    {
        if (Count + samples.Length > Samples.Length)
        {
            var grown = new float[Math.Max(Samples.Length * 2, Count + samples.Length)];
            Array.Copy(Samples, grown, Count);
            Samples = grown;
        }
        samples.CopyTo(Samples.AsSpan(Count));
        Count += samples.Length;
    }
}

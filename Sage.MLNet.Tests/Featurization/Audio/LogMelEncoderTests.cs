using Sage.MLNet.Featurization.Audio;
using Sage.MLNet.Media;

namespace Sage.MLNet.Tests.Featurization.Audio;

[TestClass]
public sealed class LogMelEncoderTests
{
    private const int Bands = 8;

    [TestMethod]
    [DataRow(25.0, 0.0)]
    [DataRow(30000.0 / 1001, -0.45)]
    [DataRow(120.0, 0.2)]
    public void Start_WaveformInOddBlocks_EqualsWholeWaveformInOneBlock(double fps, double videoOffset)
    {
        var random = new Random(7);
        var waveform = Enumerable.Range(0, 3 * DecodedAudio.SampleRate + 123).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var clock = new AudioClock(fps, videoOffset, 3);
        var frameCount = (int)(4 * fps);        // the last second is past the end of the audio
        using var encoder = new LogMelEncoder(Bands);

        var whole = Encode(encoder, clock, frameCount, [waveform.Length], waveform);
        var blocks = Encode(encoder, clock, frameCount, [1, 399, 37, 4000, 161, 16000], waveform);

        CollectionAssert.AreEqual(whole, blocks);
        Assert.IsTrue(whole.All(float.IsFinite));
        CollectionAssert.AreEqual(whole[^(2 * Bands)..], whole[^(4 * Bands)..^(2 * Bands)], "frames past the end repeat the last mel frame");
    }

    [TestMethod]
    public void Start_WaveformShorterThanOneWindow_GivesEveryFrameTheZeroPaddedWindow()
    {
        float[] waveform = [.. Enumerable.Range(0, 100).Select(n => MathF.Sin(n * 0.3f))];
        using var encoder = new LogMelEncoder(Bands);

        var features = Encode(encoder, new AudioClock(25, 0, 0.01), 3, [waveform.Length], waveform);

        CollectionAssert.AreEqual(features[..(2 * Bands)], features[(2 * Bands)..(4 * Bands)]);
        Assert.IsTrue(features[Bands..(2 * Bands)].All(std => std == 0), "one mel frame has standard deviation 0");
    }

    /// <summary>Feeds the waveform in blocks of the given sizes, cycling through them.</summary>
    private static float[] Encode(LogMelEncoder encoder, AudioClock clock, int frameCount, int[] blockSizes, float[] waveform)
    {
        var features = new float[frameCount * encoder.FeatureSize];
        var encoding = encoder.Start(clock, frameCount, features);
        for (int start = 0, block = 0; start < waveform.Length; block++)
        {
            var length = Math.Min(blockSizes[block % blockSizes.Length], waveform.Length - start);
            encoding.Append(waveform.AsSpan(start, length));
            start += length;
        }
        encoding.Complete();
        return features;
    }
}

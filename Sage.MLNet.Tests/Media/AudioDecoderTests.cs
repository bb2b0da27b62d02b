using Sage.MLNet.Media;

namespace Sage.MLNet.Tests.Media;

[TestClass]
public sealed class AudioDecoderTests
{
    [TestMethod]
    public void Decode_SlowConsumersAtOnce_EachReceivesEverySampleInOrder()
    {
        using var videos = new TestVideos();
        var video = videos.WithToneFromOneSecond("tone.mp4", "25", seconds: 5);
        var decoder = new AudioDecoder(FFMpegBinaries.Find(null));
        var fast = new List<float>();

        var fastCount = decoder.Decode(video, block => fast.AddRange(block));
        // Several at once, each slower than ffmpeg, which then exits with blocks still in the pipe.
        var slow = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4).Select(_ =>
        {
            var samples = new List<float>();
            decoder.Decode(video, block =>
            {
                Thread.Sleep(100);
                samples.AddRange(block);
            });
            return samples;
        }).ToList();

        Assert.IsGreaterThan(4.9 * DecodedAudio.SampleRate, fastCount);
        foreach (var samples in slow)
        {
            CollectionAssert.AreEqual(fast, samples);
        }
    }
}

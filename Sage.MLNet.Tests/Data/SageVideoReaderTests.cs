using Microsoft.ML;
using Sage.MLNet.Data;

namespace Sage.MLNet.Tests.Data;

/// <summary>The row reader's array reuse, which training uses so that a video costs no new large arrays.</summary>
[TestClass]
public sealed class SageVideoReaderTests
{
    [TestMethod]
    public void Read_ReuseArrays_EachVideoHasTheSameValuesAsAFreshRead()
    {
        var ml = new MLContext(seed: 1);
        // Lengths that shrink and grow, so a reused array is sometimes longer than the video.
        var data = TestData.Videos(ml, count: 6, seed: 4, minFrames: 100, maxFrames: 900);
        var reader = new SageVideoReader(data, TestData.SmallOptions(), withLabels: true);
        var fresh = reader.Read().ToArray();

        var index = 0;
        var arrays = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        foreach (var video in reader.Read(reuseArrays: true))
        {
            var expected = fresh[index++];
            Assert.AreEqual(expected.Name, video.Name);
            Assert.AreEqual(expected.Frames, video.Frames);
            CollectionAssert.AreEqual(expected.Visual, video.Visual[..expected.Visual.Length], $"{video.Name}: visual");
            CollectionAssert.AreEqual(expected.Audio, video.Audio[..expected.Audio.Length], $"{video.Name}: audio");
            CollectionAssert.AreEqual(expected.Valence, video.Valence![..video.Frames], $"{video.Name}: valence");
            CollectionAssert.AreEqual(expected.Arousal, video.Arousal![..video.Frames], $"{video.Name}: arousal");
            arrays.Add(video.Visual);
        }

        Assert.AreEqual(6, index);
        Assert.IsLessThan(6, arrays.Count, "the visual array is reused, not made anew for every video");
        Assert.IsTrue(fresh.Select(v => v.Frames).Distinct().Count() > 1, "the test needs videos of different lengths");
    }
}

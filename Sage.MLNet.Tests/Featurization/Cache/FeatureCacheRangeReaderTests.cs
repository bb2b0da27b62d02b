using Sage.MLNet.Featurization.Cache;

namespace Sage.MLNet.Tests.Featurization.Cache;

/// <summary>Reading a <c>.features</c> file a frame range at a time, as training does from a filled cache.</summary>
[TestClass]
public sealed class FeatureCacheRangeReaderTests
{
    private const int Frames = 1234, Width = 8;

    [TestMethod]
    public void Read_SomeFramesSkipped_CompleteReadsTheRestAndAcceptsTheFile()
    {
        var folder = CacheFiles.NewCacheFolder();
        try
        {
            var random = new Random(5);
            var values = Enumerable.Range(0, Frames * Width).Select(_ => random.NextSingle()).ToArray();
            var faceFound = Enumerable.Range(0, Frames).Select(t => t % 7 == 3 ? 0f : 1f).ToArray();
            var file = Path.Combine(folder, "video.features");
            FeatureCacheFile.Write(file, new VideoFeatures(Frames, Width, values, 1, faceFound));

            using var reader = FeatureCacheRangeReader.TryOpen(file, Frames, Width, 1)!;
            var (first, overlapping) = (new float[100 * Width], new float[20 * Width]);
            reader.Read(500, first);
            reader.Read(550, overlapping);
            reader.Complete();

            CollectionAssert.AreEqual(values[(500 * Width)..(600 * Width)], first);
            CollectionAssert.AreEqual(values[(550 * Width)..(570 * Width)], overlapping);
            CollectionAssert.AreEqual(faceFound, reader.Extra, "FaceFound");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void TryOpen_MissingOrOtherShape_GivesNull()
    {
        var folder = CacheFiles.NewCacheFolder();
        try
        {
            var file = Path.Combine(folder, "video.features");
            FeatureCacheFile.Write(file, new VideoFeatures(10, Width, new float[10 * Width], 0, []));

            Assert.IsNull(FeatureCacheRangeReader.TryOpen(Path.Combine(folder, "missing.features"), 10, Width, 0), "missing");
            Assert.IsNull(FeatureCacheRangeReader.TryOpen(file, 11, Width, 0), "another T");
            Assert.IsNull(FeatureCacheRangeReader.TryOpen(file, 10, Width + 1, 0), "another D");
            using var reader = FeatureCacheRangeReader.TryOpen(file, 10, Width, 0);
            Assert.AreEqual((10, Width), (reader!.Frames, reader.Width), "the file itself");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

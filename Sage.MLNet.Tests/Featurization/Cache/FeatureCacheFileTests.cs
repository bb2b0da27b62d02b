using System.Diagnostics;
using Sage.MLNet.Featurization.Cache;

namespace Sage.MLNet.Tests.Featurization.Cache;

[TestClass]
public sealed class FeatureCacheFileTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Encode_ThenDecode_GivesSameValuesAndDocumentedLayout()
    {
        var features = Random(frames: 7, size: 5, extraChannels: 1, seed: 1);

        var bytes = FeatureCacheFile.Encode(features);
        var decoded = FeatureCacheFile.Decode(bytes, 7, 5, 1)!;

        Assert.AreEqual(24 + 4 * (7 * 5 + 7) + 32, bytes.Length);
        CollectionAssert.AreEqual("SAGEFEAT"u8.ToArray(), bytes[..8]);
        Assert.AreEqual(FeatureCacheFile.FormatVersion, BitConverter.ToInt32(bytes, 8));
        Assert.AreEqual(7, BitConverter.ToInt32(bytes, 12));
        Assert.AreEqual(5, BitConverter.ToInt32(bytes, 16));
        Assert.AreEqual(1, BitConverter.ToInt32(bytes, 20));
        Assert.AreEqual(features.Values[0], BitConverter.ToSingle(bytes, 24));
        Assert.AreEqual(features.Extra[0], BitConverter.ToSingle(bytes, 24 + 4 * 35));
        CollectionAssert.AreEqual(features.Values, decoded.Values);
        CollectionAssert.AreEqual(features.Extra, decoded.Extra);
    }

    [TestMethod]
    public void Decode_ZeroFrames_GivesEmptyFeatures()
    {
        var decoded = FeatureCacheFile.Decode(FeatureCacheFile.Encode(new VideoFeatures(0, 4, [], 1, [])), 0, 4, 1);

        Assert.IsNotNull(decoded);
        Assert.IsEmpty(decoded.Values);
    }

    [TestMethod]
    [DataRow("truncated")]
    [DataRow("payload byte flipped")]
    [DataRow("hash byte flipped")]
    [DataRow("bad magic")]
    [DataRow("other version")]
    [DataRow("other T")]
    [DataRow("other D")]
    [DataRow("other channels")]
    [DataRow("empty")]
    public void Decode_DamagedOrForeign_GivesNull(string damage)
    {
        var bytes = FeatureCacheFile.Encode(Random(frames: 4, size: 3, extraChannels: 1, seed: 2));
        var (frames, size, channels) = (4, 3, 1);
        switch (damage)
        {
            case "truncated": bytes = bytes[..^5]; break;
            case "payload byte flipped": bytes[30] ^= 0x10; break;
            case "hash byte flipped": bytes[^1] ^= 0x01; break;
            case "bad magic": bytes[0] = (byte)'X'; break;
            case "other version": bytes[8] = 2; break;
            case "other T": frames = 5; break;
            case "other D": size = 2; break;
            case "other channels": channels = 0; break;
            case "empty": bytes = []; break;
        }

        Assert.IsNull(FeatureCacheFile.Decode(bytes, frames, size, channels), damage);
    }

    [TestMethod]
    public void Write_LargerThanOneWritePiece_FileIsPayloadThenItsOneShotSha256()
    {
        // 600 frames × 512 floats: 1.2 MB, so the writer streams and hashes in more than one piece.
        var features = Random(frames: 600, size: 512, extraChannels: 1, seed: 5);
        var folder = CacheFiles.NewCacheFolder();
        try
        {
            var file = Path.Combine(folder, "streamed.features");
            FeatureCacheFile.Write(file, features);

            var bytes = File.ReadAllBytes(file);
            var payload = bytes.AsSpan(0, bytes.Length - 32);
            Assert.AreEqual(24 + 4 * (600 * 512 + 600) + 32, bytes.Length);
            CollectionAssert.AreEqual(System.Security.Cryptography.SHA256.HashData(payload), bytes[^32..]);
            Assert.AreEqual(features.Values[600 * 512 - 1], BitConverter.ToSingle(bytes, 24 + 4 * (600 * 512 - 1)));
            Assert.AreEqual(features.Extra[599], BitConverter.ToSingle(bytes, 24 + 4 * (600 * 512 + 599)));
            CollectionAssert.AreEqual(FeatureCacheFile.Encode(features), bytes);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void TryReadAndIsIntact_WrittenFileLargerThanOneReadPiece_SameValuesAndDamageFound()
    {
        // 600 frames × 512 floats: 1.2 MB of floats, so the reader fills the arrays in more than one piece.
        var features = Random(frames: 600, size: 512, extraChannels: 1, seed: 4);
        var folder = CacheFiles.NewCacheFolder();
        try
        {
            var file = Path.Combine(folder, "long.features");
            FeatureCacheFile.Write(file, features);

            var read = FeatureCacheFile.TryRead(file, 600, 512, 1)!;

            Assert.IsNotNull(read);
            CollectionAssert.AreEqual(features.Values, read.Values);
            CollectionAssert.AreEqual(features.Extra, read.Extra);
            Assert.IsTrue(FeatureCacheFile.IsIntact(file, 600, 512, 1), "intact");
            Assert.IsFalse(FeatureCacheFile.IsIntact(file, 600, 511, 1), "intact, but of another D");
            var bytes = File.ReadAllBytes(file);
            bytes[bytes.Length / 2] ^= 0x04;                     // a flipped bit past the first piece
            File.WriteAllBytes(file, bytes);
            Assert.IsNull(FeatureCacheFile.TryRead(file, 600, 512, 1), "a damaged file reads as absent");
            Assert.IsFalse(FeatureCacheFile.IsIntact(file, 600, 512, 1), "a damaged file is not intact");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void TryRead_MissingFile_GivesNull() =>
        Assert.IsNull(FeatureCacheFile.TryRead(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".features"), 1, 1, 0));

    [TestMethod]
    public void TryRead_FaceCacheOf2000FramesBy512_PrintsReadSpeed()
    {
        const int frames = 2000, size = 512, videos = 5;
        var folder = CacheFiles.NewCacheFolder();
        try
        {
            var features = Random(frames, size, extraChannels: 1, seed: 3);
            var files = Enumerable.Range(0, videos).Select(i => Path.Combine(folder, $"{i}.features")).ToArray();
            var write = Stopwatch.StartNew();
            foreach (var file in files)
            {
                FeatureCacheFile.Write(file, features);
            }
            write.Stop();
            FeatureCacheFile.TryRead(files[0], frames, size, 1);           // warm the JIT
            var read = Stopwatch.StartNew();
            foreach (var file in files)
            {
                Assert.IsNotNull(FeatureCacheFile.TryRead(file, frames, size, 1));
            }
            read.Stop();

            var megabytes = new FileInfo(files[0]).Length / 1e6;
            TestContext.WriteLine(
                $"feature cache, {frames} frames × {size} floats ({megabytes:F1} MB per video, page cache warm): " +
                $"read {videos * frames / read.Elapsed.TotalSeconds:N0} frames/s ({videos * megabytes / read.Elapsed.TotalSeconds:N0} MB/s), " +
                $"write {videos * frames / write.Elapsed.TotalSeconds:N0} frames/s");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static VideoFeatures Random(int frames, int size, int extraChannels, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, frames * size).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var extra = Enumerable.Range(0, frames * extraChannels).Select(_ => (float)random.Next(2)).ToArray();
        return new VideoFeatures(frames, size, values, extraChannels, extra);
    }
}

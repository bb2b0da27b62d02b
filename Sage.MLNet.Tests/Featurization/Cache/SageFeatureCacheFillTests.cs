using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Tests.Featurization.Faces;

namespace Sage.MLNet.Tests.Featurization.Cache;

[TestClass]
public sealed class SageFeatureCacheFillTests
{
    private const int CropSize = 16;
    private FaceCropFolders _crops = null!;
    private string _cache = null!;
    private string _encoder = null!;
    private MLContext _ml = null!;

    [TestInitialize]
    public void MakeEncoder()
    {
        _crops = new FaceCropFolders();
        _cache = CacheFiles.NewCacheFolder();
        _encoder = Path.Combine(_crops.Root, "gap.onnx");
        GlobalAveragePoolEncoder.Write(_encoder);
        _ml = new MLContext(seed: 1);
    }

    [TestCleanup]
    public void Delete()
    {
        _crops.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    [TestMethod]
    [DataRow("10-60-1280x720_right", 7, 1)]
    [DataRow("video1", 3, 0)]
    [DataRow("118-30-640x480", 1000, 409)]
    public void ShardOf_KnownIds_EqualsValueComputedOutsideDotNet(string videoId, int shardCount, int expected) =>
        // Expected values from Python: int.from_bytes(hashlib.sha256(id.encode()).digest()[:8], "big") % n, so any process on any machine agrees.
        Assert.AreEqual(expected, SageFeatureCache.ShardOf(videoId, shardCount));

    [TestMethod]
    public void Fill_ThreeShards_FillEveryVideoExactlyOnceThenTransformHitsAll()
    {
        var rows = Rows(9);
        var data = _ml.Data.LoadFromEnumerable(rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        var reports = new List<SageFeatureCacheReport>();
        var videosOfShard = new List<string[]>();

        for (var shard = 0; shard < 3; shard++)
        {
            var progress = new ListProgress<SageFeatureCacheProgress>();
            reports.Add(SageFeatureCache.Fill(data, model, new() { ShardIndex = shard, ShardCount = 3, Progress = progress }));
            videosOfShard.Add([.. progress.Reports.Select(p => p.Video)]);
        }
        using var fresh = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        _ = fresh.Transform(data).GetColumn<float[]>("VisualFeatures").ToArray();

        for (var shard = 0; shard < 3; shard++)
        {
            var expected = rows.Where(r => DocumentedShard(r.VideoId, 3) == shard).Select(r => r.VideoId).ToArray();
            CollectionAssert.AreEqual(expected, videosOfShard[shard], $"shard {shard}");
            Assert.AreEqual((expected.Length, 0, expected.Length), (reports[shard].Videos, reports[shard].Hits, reports[shard].Computed));
            Assert.AreEqual(rows.Where(r => DocumentedShard(r.VideoId, 3) == shard).Sum(r => (long)r.FrameCount), reports[shard].Frames);
        }
        CollectionAssert.AreEquivalent(rows.Select(r => r.VideoId).ToArray(), videosOfShard.SelectMany(v => v).ToArray());
        Assert.HasCount(9, CacheFiles.FeatureFiles(model));
        Assert.AreEqual(9, CacheFiles.Computations(model));
        Assert.AreEqual(0, CacheFiles.Computations(fresh));
    }

    [TestMethod]
    public void Fill_AgainAfterPartialRun_ResumesWithHits()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(4));
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfter(2, cancel);

        Assert.ThrowsExactly<OperationCanceledException>(() => SageFeatureCache.Fill(data, model, new() { Progress = progress, CancellationToken = cancel.Token }));
        var report = SageFeatureCache.Fill(data, model);

        Assert.AreEqual((4, 2, 2), (report.Videos, report.Hits, report.Computed));
        Assert.IsGreaterThanOrEqualTo(0.0, report.Seconds);
    }

    [TestMethod]
    public void Fill_RowsWithoutVideoId_ShardsBySourceFolder()
    {
        var rows = Rows(5).Select(r => new FaceRow { FaceFolder = r.FaceFolder, FrameCount = r.FrameCount }).ToArray();
        var data = _ml.Data.LoadFromEnumerable(rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        var progress = new ListProgress<SageFeatureCacheProgress>();

        var report = SageFeatureCache.Fill(data, model, new() { ShardIndex = 1, ShardCount = 2, Progress = progress });

        var expected = rows.Select(r => r.FaceFolder).Where(f => DocumentedShard(f, 2) == 1).ToArray();
        Assert.AreEqual(expected.Length, report.Videos);
        CollectionAssert.AreEqual(expected, progress.Reports.Select(p => p.Video).ToArray());
    }

    [TestMethod]
    public void Fill_FeaturizerWithoutCacheFolder_ThrowsArgumentException()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(1));
        var options = Options();
        options.CacheFolder = null;
        using var model = _ml.Transforms.FeaturizeFaces(options).Fit(data);

        var error = Assert.ThrowsExactly<ArgumentException>(() => SageFeatureCache.Fill(data, model));

        Assert.AreEqual("featurizer", error.ParamName);
        StringAssert.Contains(error.Message, "CacheFolder");
    }

    [TestMethod]
    public void Fill_OtherTransformer_ThrowsArgumentException()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(1));
        var other = _ml.Transforms.CopyColumns("Copy", "FrameCount").Fit(data);

        var error = Assert.ThrowsExactly<ArgumentException>(() => SageFeatureCache.Fill(data, other));

        Assert.AreEqual("featurizer", error.ParamName);
    }

    [TestMethod]
    [DataRow(-1, 2, "ShardIndex")]
    [DataRow(2, 2, "ShardIndex")]
    [DataRow(0, 0, "ShardCount")]
    public void Fill_ShardOutOfRange_ThrowsNamingTheOption(int shardIndex, int shardCount, string option)
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(1));
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SageFeatureCache.Fill(data, model, new() { ShardIndex = shardIndex, ShardCount = shardCount }));

        Assert.AreEqual(option, error.ParamName);
    }

    [TestMethod]
    public void Fill_FaceFolderColumnMissing_ThrowsNamingColumn()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(1));
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        var withoutFolder = _ml.Transforms.DropColumns("FaceFolder").Fit(data).Transform(data);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SageFeatureCache.Fill(withoutFolder, model));

        StringAssert.Contains(error.Message, "'FaceFolder'");
    }

    /// <summary>The shard formula as SageFeatureCache.ShardOf documents it, written out independently.</summary>
    private static int DocumentedShard(string videoId, int shardCount) =>
        (int)(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(videoId))) % (ulong)shardCount);

    private SageFaceFeaturizerOptions Options() => new()
    {
        EncoderModelPath = _encoder,
        EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
        ImageWidth = CropSize,
        ImageHeight = CropSize,
        CacheFolder = _cache,
    };

    private IdentifiedFaceRow[] Rows(int videos) =>
        [.. Enumerable.Range(0, videos).Select(v => new IdentifiedFaceRow
        {
            VideoId = $"video-{v}",
            FaceFolder = _crops.Add($"video-{v}", CropSize, 0, 2),
            FrameCount = 3 + v,
        })];

    public sealed class IdentifiedFaceRow
    {
        public string VideoId { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public int FrameCount { get; set; }
    }

    /// <summary>Cancels after a number of videos, as a killed job would stop.</summary>
    private sealed class CancelAfter(int videos, CancellationTokenSource cancel) : IProgress<SageFeatureCacheProgress>
    {
        public void Report(SageFeatureCacheProgress value)
        {
            if (value.VideosDone == videos)
            {
                cancel.Cancel();
            }
        }
    }
}

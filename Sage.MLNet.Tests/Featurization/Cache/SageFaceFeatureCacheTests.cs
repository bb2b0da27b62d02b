using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.IO;
using Sage.MLNet.Tests.Featurization.Faces;

namespace Sage.MLNet.Tests.Featurization.Cache;

[TestClass]
public sealed class SageFaceFeatureCacheTests
{
    private const int CropSize = 16;
    private FaceCropFolders _crops = null!;
    private string _cache = null!;
    private string _encoder = null!;
    private FaceRow[] _rows = null!;
    private MLContext _ml = null!;

    [TestInitialize]
    public void MakeCropsAndEncoder()
    {
        _crops = new FaceCropFolders();
        _cache = CacheFiles.NewCacheFolder();
        _encoder = Path.Combine(_crops.Root, "gap.onnx");
        GlobalAveragePoolEncoder.Write(_encoder);
        _rows =
        [
            new() { FaceFolder = _crops.Add("a", CropSize, 0, 1, 3), FrameCount = 5 },
            new() { FaceFolder = _crops.Add("b", CropSize, 1, 2), FrameCount = 3 },
        ];
        _ml = new MLContext(seed: 1);
    }

    [TestCleanup]
    public void Delete()
    {
        _crops.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    [TestMethod]
    public void Transform_SameCacheFolder_SecondFeaturizerReturnsSameValuesWithoutReadingCrops()
    {
        var (expected, expectedFound, firstComputations) = Run(Options());
        // Same names, sizes and times, so the video keys are unchanged, but no crop decodes any more: featurising would throw.
        var crops = _rows.SelectMany(r => Directory.GetFiles(r.FaceFolder)).ToArray();
        foreach (var crop in crops)
        {
            var time = File.GetLastWriteTimeUtc(crop);
            File.WriteAllBytes(crop, new byte[new FileInfo(crop).Length]);
            File.SetLastWriteTimeUtc(crop, time);
        }

        var (actual, actualFound, computations) = Run(Options());

        Assert.AreEqual(2, firstComputations);
        Assert.AreEqual(0, computations);
        for (var v = 0; v < 2; v++)
        {
            CollectionAssert.AreEqual(expected[v], actual[v], $"video {v}");
            CollectionAssert.AreEqual(expectedFound[v], actualFound[v], $"video {v}");
        }
        CollectionAssert.AreEqual(new float[] { 1, 1, 0, 1, 0 }, actualFound[0]);
        // The proof holds only if those crops really cannot be featurised: without the cache they fail.
        var uncached = Options();
        uncached.CacheFolder = null;
        Assert.Throws<Exception>(() => Run(uncached));
    }

    [TestMethod]
    public void Transform_WithCache_WritesFeaturizerJsonAndOneFilePerVideo()
    {
        using var model = Fit(Options());
        _ = model.Transform(Data()).GetColumn<float[]>("VisualFeatures").ToArray();

        var folder = CacheFiles.FeaturizerFolders(_cache).Single();
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, FeatureCacheFolder.DescriptionFileName)))!;
        var key = (string)description["featurizerKey"]!;

        Assert.AreEqual(Path.Combine(_cache, "faces-" + key), folder);
        Assert.AreEqual(16, key.Length);
        Assert.AreEqual("faces", (string)description["kind"]!);
        Assert.AreEqual(KeyHash.OfFile(_encoder), (string)description["encoderSha256"]!);
        Assert.AreEqual(CropSize, (int)description["imageWidth"]!);
        Assert.HasCount(2, CacheFiles.FeatureFiles(model));
        Assert.IsTrue(File.Exists(CacheFiles.FileOf(model, VideoKeys.ForFaceFolder(_rows[0].FaceFolder, 5))));
    }

    [TestMethod]
    public void Transform_ImageSizeChanged_MissesIntoAnotherFolder()
    {
        Run(Options());

        var (_, _, computations) = Run(Options(imageSize: 12));

        Assert.AreEqual(2, computations);
        Assert.HasCount(2, CacheFiles.FeaturizerFolders(_cache));
    }

    [TestMethod]
    public void Transform_EncoderFileChanged_Misses()
    {
        Run(Options());
        // Same graph, other bytes: the file's hash, not its behaviour, decides.
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(_encoder));
        model.DocString = "re-exported";
        File.WriteAllBytes(_encoder, model.ToByteArray());

        var (_, _, computations) = Run(Options());

        Assert.AreEqual(2, computations);
    }

    [TestMethod]
    public void Transform_CropTouched_MissesThatVideoOnly()
    {
        var (expected, _, _) = Run(Options());
        var crop = Directory.GetFiles(_rows[0].FaceFolder).First();
        File.SetLastWriteTimeUtc(crop, File.GetLastWriteTimeUtc(crop).AddMinutes(5));

        var (actual, _, computations) = Run(Options());

        Assert.AreEqual(1, computations);
        CollectionAssert.AreEqual(expected[0], actual[0]);
    }

    [TestMethod]
    public void Transform_FrameCountChanged_Misses()
    {
        Run(Options());
        _rows[1].FrameCount = 4;

        var (features, _, computations) = Run(Options());

        Assert.AreEqual(1, computations);
        Assert.HasCount(4 * 3, features[1]);
    }

    [TestMethod]
    [DataRow("truncated")]
    [DataRow("byte flipped")]
    public void Transform_CacheFileDamaged_RecomputesFreshValuesAndRepairsFile(string damage)
    {
        var (expected, expectedFound, _) = Run(Options());
        var file = FileOfVideo(0);
        var bytes = File.ReadAllBytes(file);
        if (damage == "truncated")
        {
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        }
        else
        {
            bytes[40] ^= 0x40;
            File.WriteAllBytes(file, bytes);
        }

        var (actual, actualFound, computations) = Run(Options());
        var (_, _, afterRepair) = Run(Options());

        Assert.AreEqual(1, computations);
        CollectionAssert.AreEqual(expected[0], actual[0]);
        CollectionAssert.AreEqual(expectedFound[0], actualFound[0]);
        Assert.AreEqual(bytes.Length, File.ReadAllBytes(file).Length);
        Assert.AreEqual(0, afterRepair);
    }

    [TestMethod]
    public void Transform_LeftoverTemporaryFromKilledRun_IsIgnored()
    {
        var (expected, _, _) = Run(Options());
        var file = FileOfVideo(0);
        // What AtomicFile leaves when the process dies mid-write: a hidden half file beside the real name, and no real file.
        var temporary = Path.Combine(Path.GetDirectoryName(file)!, $".{Path.GetFileName(file)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, File.ReadAllBytes(file)[..30]);
        File.Delete(file);

        var (actual, _, computations) = Run(Options());
        var (_, _, afterRecompute) = Run(Options());

        Assert.AreEqual(1, computations);
        CollectionAssert.AreEqual(expected[0], actual[0]);
        Assert.AreEqual(0, afterRecompute);
        using var model = Fit(Options());
        Assert.HasCount(2, CacheFiles.FeatureFiles(model));
    }

    [TestMethod]
    public void Transform_PackagedResNet18_SecondPassHitsWithSameValues()
    {
        var rows = new[] { new FaceRow { FaceFolder = _crops.Add("resnet", 112, 0, 2), FrameCount = 3 } };
        var options = new SageFaceFeaturizerOptions { CacheFolder = _cache };

        using var first = _ml.Transforms.FeaturizeFaces(options).Fit(_ml.Data.LoadFromEnumerable(rows));
        var expected = first.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("VisualFeatures").Single();
        using var second = _ml.Transforms.FeaturizeFaces(options).Fit(_ml.Data.LoadFromEnumerable(rows));
        var actual = second.Transform(_ml.Data.LoadFromEnumerable(rows)).GetColumn<float[]>("VisualFeatures").Single();

        Assert.AreEqual(0, CacheFiles.Computations(second));
        Assert.HasCount(3 * 512, actual);
        CollectionAssert.AreEqual(expected, actual);
        var description = File.ReadAllText(Path.Combine(CacheFiles.FeaturizerFolders(_cache).Single(), FeatureCacheFolder.DescriptionFileName));
        StringAssert.Contains(description, "Microsoft.ML.DnnImageFeaturizer.ResNet18");
        StringAssert.Contains(description, "preprocessSha256");
    }

    [TestMethod]
    public void FeaturizeFaces_BlankCacheFolder_ThrowsNamingOption()
    {
        var options = Options();
        options.CacheFolder = " ";

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _ml.Transforms.FeaturizeFaces(options));

        Assert.AreEqual("CacheFolder", error.ParamName);
    }

    private SageFaceFeaturizerOptions Options(int imageSize = CropSize) => new()
    {
        EncoderModelPath = _encoder,
        EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
        ImageWidth = imageSize,
        ImageHeight = imageSize,
        CacheFolder = _cache,
    };

    private IDataView Data() => _ml.Data.LoadFromEnumerable(_rows);

    private SageFaceFeaturizerTransformer Fit(SageFaceFeaturizerOptions options) => _ml.Transforms.FeaturizeFaces(options).Fit(Data());

    private (float[][] Features, float[][] FaceFound, long Computations) Run(SageFaceFeaturizerOptions options)
    {
        using var model = Fit(options);
        var output = model.Transform(Data());
        var features = output.GetColumn<float[]>("VisualFeatures").ToArray();
        var found = output.GetColumn<float[]>("FaceFound").ToArray();
        return (features, found, CacheFiles.Computations(model));
    }

    private string FileOfVideo(int row)
    {
        using var model = Fit(Options());
        return CacheFiles.FileOf(model, VideoKeys.ForFaceFolder(_rows[row].FaceFolder, _rows[row].FrameCount));
    }
}

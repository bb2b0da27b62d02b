using System.IO.Compression;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.ML;
using Onnx;
using Sage.MLNet.Persistence;
using Sage.MLNet.Synthetic;
using Sage.MLNet.Tests.Featurization.Faces;
using Sage.MLNet.Tests.Media;

namespace Sage.MLNet.Tests.Persistence;

/// <summary>
/// A model saved with <see cref="SageModel.Save"/> and its featurizers scores raw videos after
/// <see cref="SageModel.LoadWithFeaturizers"/> exactly as the featurizers and model did in memory,
/// and refuses an encoder file other than the one it was trained with.
/// </summary>
[TestClass]
public sealed class FeaturizationSettingsTests
{
    private static string s_root = null!;
    private static string s_copy = null!;
    private static string s_encoder = null!;
    private static string s_modelPath = null!;
    private static float[][] s_expected = null!;
    private static IDataView s_validationFeatures = null!;
    private static MLContext s_ml = null!;
    private static SageFaceFeaturizerTransformer s_faces = null!;
    private static SageAudioFeaturizerTransformer s_audio = null!;

    [ClassInitialize]
    public static void TrainAndSaveOnce(TestContext _)
    {
        s_root = Path.Combine(Path.GetTempPath(), $"sage-featurization-{Guid.NewGuid():N}");
        s_copy = Path.Combine(s_root, "copy");
        SyntheticAffWild2.Generate(s_copy, new SyntheticAffWild2Options { TrainVideos = 2, ValidationVideos = 1, TestVideos = 1, SecondsPerVideo = 3 });
        s_encoder = Path.Combine(s_root, "encoders", "gap.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(s_encoder)!);
        GlobalAveragePoolEncoder.Write(s_encoder);
        s_ml = new MLContext(seed: 1);
        var train = s_ml.Data.LoadAffWild2(s_copy, AffWild2Split.Train);
        var validation = s_ml.Data.LoadAffWild2(s_copy, AffWild2Split.Validation);
        s_faces = s_ml.Transforms.FeaturizeFaces(CustomEncoderOptions(s_encoder)).Fit(train);
        s_audio = s_ml.Transforms.FeaturizeAudio().Fit(train);
        using var model = Train(s_ml, train, s_faces, s_audio);
        s_validationFeatures = s_audio.Transform(s_faces.Transform(validation));
        s_expected = Predictions(s_ml, model.Transform(s_validationFeatures));
        s_modelPath = Path.Combine(s_root, "custom.zip");
        SageModel.Save(s_ml, model, train.Schema, s_modelPath, s_faces, s_audio);
        SageModel.Save(s_ml, model, s_validationFeatures.Schema, Path.Combine(s_root, "plain.zip"));
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_faces?.Dispose();
        s_audio?.Dispose();
        if (Directory.Exists(s_root))
        {
            Directory.Delete(s_root, recursive: true);
        }
    }

    [TestMethod]
    public void LoadWithFeaturizers_CustomEncoder_PredictsRawRowsExactlyAsInMemory()
    {
        var ml = new MLContext(seed: 5);
        using var loaded = SageModel.LoadWithFeaturizers(ml, s_modelPath, out var inputSchema);

        var actual = Predictions(ml, loaded.Transform(ml.Data.LoadAffWild2(s_copy, AffWild2Split.Validation)));

        AssertSame(s_expected, actual);
        Assert.HasCount(3, loaded.ToArray());
        Assert.IsNotNull(inputSchema.GetColumnOrNull("FaceFolder"));
        Assert.IsNotNull(inputSchema.GetColumnOrNull("VideoFile"));
        Assert.IsNull(inputSchema.GetColumnOrNull("VisualFeatures"));
    }

    [TestMethod]
    public void Save_WithFeaturizers_WritesOneEntryWithEveryEncoderSetting()
    {
        using var archive = ZipFile.OpenRead(s_modelPath);
        var sageEntries = archive.Entries.Where(e => e.FullName.StartsWith("Sage/", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, sageEntries);
        using var stream = sageEntries[0].Open();
        var json = JsonNode.Parse(stream)!;

        Assert.AreEqual(1, (int)json["formatVersion"]!);
        Assert.AreEqual(s_encoder, (string)json["faces"]!["encoderModelPath"]!);
        Assert.AreEqual(EncoderFile.Sha256(s_encoder), (string)json["faces"]!["encoderSha256"]!);
        Assert.AreEqual("Bgr", (string)json["faces"]!["encoderChannelOrder"]!);
        Assert.AreEqual(3, (int)json["faces"]!["featureSize"]!);
        Assert.AreEqual("log-mel", (string)json["audio"]!["encoder"]!);
        Assert.AreEqual(64, (int)json["audio"]!["melBands"]!);
        Assert.AreEqual(128, (int)json["audio"]!["featureSize"]!);
    }

    [TestMethod]
    public void ModelLoad_ZipWithFeaturizationEntry_StillPredictsOnFeatures()
    {
        var ml = new MLContext(seed: 5);
        var model = ml.Model.Load(s_modelPath, out var schema);
        try
        {
            Assert.IsNotNull(schema.GetColumnOrNull("VisualFeatures"));
            AssertSame(s_expected, Predictions(ml, model.Transform(s_validationFeatures)));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    [TestMethod]
    public void LoadWithFeaturizers_CacheFolder_WritesEachVideoOnceAndPredictsTheSame()
    {
        var ml = new MLContext(seed: 5);
        var cache = Path.Combine(s_root, $"serving-cache-{Guid.NewGuid():N}");
        var validation = ml.Data.LoadAffWild2(s_copy, AffWild2Split.Validation);
        using var loaded = SageModel.LoadWithFeaturizers(ml, s_modelPath, out _, cacheFolder: cache);

        var first = Predictions(ml, loaded.Transform(validation));
        var faces = loaded.OfType<SageFaceFeaturizerTransformer>().Single();
        var audio = loaded.OfType<SageAudioFeaturizerTransformer>().Single();
        var faceReport = SageFeatureCache.Fill(validation, faces);
        var audioReport = SageFeatureCache.Fill(validation, audio);

        AssertSame(s_expected, first);
        Assert.AreEqual(1, faceReport.Videos);
        Assert.AreEqual(faceReport.Videos, faceReport.Hits);
        Assert.AreEqual(audioReport.Videos, audioReport.Hits);
        Assert.HasCount(2, Directory.GetFiles(cache, "*.features", SearchOption.AllDirectories));
        AssertSame(s_expected, Predictions(ml, loaded.Transform(validation)));
    }

    [TestMethod]
    public void LoadWithFeaturizers_EncoderFileChanged_ThrowsNamingEncoderBothHashesAndModel()
    {
        var original = File.ReadAllBytes(s_encoder);
        var expectedHash = EncoderFile.Sha256(s_encoder);
        try
        {
            var edited = ModelProto.Parser.ParseFrom(original);
            edited.DocString = "edited after training";
            File.WriteAllBytes(s_encoder, edited.ToByteArray());
            var actualHash = EncoderFile.Sha256(s_encoder);

            var e = Assert.ThrowsExactly<InvalidOperationException>(() => SageModel.LoadWithFeaturizers(new MLContext(), s_modelPath, out _));

            StringAssert.Contains(e.Message, s_encoder);
            StringAssert.Contains(e.Message, expectedHash);
            StringAssert.Contains(e.Message, actualHash);
            StringAssert.Contains(e.Message, s_modelPath);
        }
        finally
        {
            File.WriteAllBytes(s_encoder, original);
        }
    }

    [TestMethod]
    public void LoadWithFeaturizers_EncoderMovedAndMapped_PredictsAsInMemory()
    {
        var moved = Path.Combine(s_root, "elsewhere", "gap-copy.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        File.Copy(s_encoder, moved);
        var ml = new MLContext(seed: 5);

        using var loaded = SageModel.LoadWithFeaturizers(ml, s_modelPath, out _, new Dictionary<string, string> { [s_encoder] = moved });

        AssertSame(s_expected, Predictions(ml, loaded.Transform(ml.Data.LoadAffWild2(s_copy, AffWild2Split.Validation))));
    }

    [TestMethod]
    public void LoadWithFeaturizers_EncoderMappedToOtherFile_ThrowsHashMismatch()
    {
        var other = Path.Combine(s_root, "other.onnx");
        var edited = ModelProto.Parser.ParseFrom(File.ReadAllBytes(s_encoder));
        edited.DocString = "another encoder";
        File.WriteAllBytes(other, edited.ToByteArray());

        var e = Assert.ThrowsExactly<InvalidOperationException>(
            () => SageModel.LoadWithFeaturizers(new MLContext(), s_modelPath, out _, new Dictionary<string, string> { [s_encoder] = other }));

        StringAssert.Contains(e.Message, other);
        StringAssert.Contains(e.Message, EncoderFile.Sha256(other));
    }

    [TestMethod]
    public void LoadWithFeaturizers_EncoderMissing_ThrowsNamingPathAndHash()
    {
        var missing = Path.Combine(s_root, "missing.onnx");

        var e = Assert.ThrowsExactly<InvalidOperationException>(
            () => SageModel.LoadWithFeaturizers(new MLContext(), s_modelPath, out _, new Dictionary<string, string> { [s_encoder] = missing }));

        StringAssert.Contains(e.Message, missing);
        StringAssert.Contains(e.Message, EncoderFile.Sha256(s_encoder));
    }

    [TestMethod]
    public void LoadWithFeaturizers_ZipWithoutSettings_ThrowsSayingToUseLoad()
    {
        var path = Path.Combine(s_root, "plain.zip");

        var e = Assert.ThrowsExactly<InvalidDataException>(() => SageModel.LoadWithFeaturizers(new MLContext(), path, out _));

        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "without featurizers");
        StringAssert.Contains(e.Message, "SageModel.Load");
    }

    [TestMethod]
    public void LoadWithFeaturizers_TruncatedZip_ThrowsNamingFile()
    {
        var path = Path.Combine(s_root, "truncated.zip");
        var bytes = File.ReadAllBytes(s_modelPath);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => SageModel.LoadWithFeaturizers(new MLContext(), path, out _));

        StringAssert.Contains(e.Message, $"Model file '{path}'");
        StringAssert.Contains(e.Message, "corrupt or truncated");
    }

    [TestMethod]
    public void LoadWithFeaturizers_PackagedEncoder_PredictsRawRowsExactlyAsInMemory()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadAffWild2(s_copy, AffWild2Split.Train);
        var validation = ml.Data.LoadAffWild2(s_copy, AffWild2Split.Validation);
        using var faces = ml.Transforms.FeaturizeFaces().Fit(train);
        using var audio = ml.Transforms.FeaturizeAudio().Fit(train);
        using var model = Train(ml, train, faces, audio);
        var expected = Predictions(ml, model.Transform(audio.Transform(faces.Transform(validation))));
        var path = Path.Combine(s_root, "packaged.zip");
        SageModel.Save(ml, model, train.Schema, path, faces, audio);

        var fresh = new MLContext(seed: 5);
        using var loaded = SageModel.LoadWithFeaturizers(fresh, path, out _);

        AssertSame(expected, Predictions(fresh, loaded.Transform(fresh.Data.LoadAffWild2(s_copy, AffWild2Split.Validation))));
    }

    private static SageFaceFeaturizerOptions CustomEncoderOptions(string encoder) => new()
    {
        EncoderModelPath = encoder,
        EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
        ImageWidth = 32,
        ImageHeight = 32,
        EncoderChannelOrder = SageFaceChannelOrder.Bgr,
        EncoderChannelMeans = [0.5f, 0.25f, 0.125f],
        EncoderChannelStds = [0.5f, 0.25f, 2f],
        BatchSize = 7,
    };

    private static SageTransformer Train(MLContext ml, IDataView train, SageFaceFeaturizerTransformer faces, SageAudioFeaturizerTransformer audio)
    {
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.VisualFeatureSize = faces.FeatureSize;
        options.AudioFeatureSize = audio.FeatureSize;
        return ml.Transforms.Sage(options).Fit(audio.Transform(faces.Transform(train)));
    }

    /// <summary>Per video, predicted valence, arousal and reliability one after the other.</summary>
    private static float[][] Predictions(MLContext ml, IDataView scored) =>
        [.. ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false)
            .Select(row => (float[])[.. row.PredictedValence, .. row.PredictedArousal, .. row.Reliability])];

    private static void AssertSame(float[][] expected, float[][] actual)
    {
        Assert.HasCount(expected.Length, actual);
        Assert.IsNotEmpty(expected);
        for (var video = 0; video < expected.Length; video++)
        {
            Assert.IsNotEmpty(expected[video]);
            CollectionAssert.AreEqual(expected[video], actual[video], $"video {video}");
        }
    }
}

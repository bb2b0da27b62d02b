using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.ML;

namespace Sage.MLNet.Tests.Featurization.Faces.Extraction;

/// <summary>
/// A model trained on features made from raw videos (ExtractFaces → FeaturizeFaces → FeaturizeAudio), saved with all three,
/// scores a row that holds only a video file after <see cref="SageModel.LoadWithFeaturizers"/>, exactly as in memory.
/// </summary>
[TestClass]
public sealed class VideoServingTests
{
    private static FaceVideos s_videos = null!;
    private static string s_root = null!;
    private static string s_modelPath = null!;
    private static string[] s_files = null!;
    private static float[][] s_expected = null!;

    [ClassInitialize]
    public static void TrainAndSaveOnce(TestContext _)
    {
        s_videos = new FaceVideos();
        s_root = s_videos.Folder;
        s_files = [s_videos.Static(seconds: 1), s_videos.Pan(seconds: 1.2)];
        var encoder = Path.Combine(s_root, "gap.onnx");
        GlobalAveragePoolEncoder.Write(encoder);
        var ml = new MLContext(seed: 1);
        var random = new Random(3);
        float[] Labels(int frames) => [.. Enumerable.Range(0, frames).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        var rows = ml.Data.LoadFromEnumerable(s_files.Select((file, i) =>
        {
            var frames = i == 0 ? 25 : 30;
            return new LabelledVideo { VideoFile = file, Valence = Labels(frames), Arousal = Labels(frames) };
        }).ToArray());
        using var extraction = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions { CacheFolder = Path.Combine(s_root, "crops") }).Fit(rows);
        using var faces = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions
        {
            EncoderModelPath = encoder,
            EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
            ImageWidth = 32,
            ImageHeight = 32,
        }).Fit(extraction.Transform(rows));
        using var audio = ml.Transforms.FeaturizeAudio().Fit(extraction.Transform(rows));
        var features = ml.Data.Cache(audio.Transform(faces.Transform(extraction.Transform(rows))));
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.VisualFeatureSize = faces.FeatureSize;
        options.AudioFeatureSize = audio.FeatureSize;
        using var model = ml.Transforms.Sage(options).Fit(features);
        s_expected = Predictions(ml, model.Transform(features));
        s_modelPath = Path.Combine(s_root, "video.zip");
        SageModel.Save(ml, model, rows.Schema, s_modelPath, faces, audio, extraction);
    }

    [ClassCleanup]
    public static void Cleanup() => s_videos?.Dispose();

    [TestMethod]
    public void LoadWithFeaturizers_RowWithOnlyVideoFile_PredictsAsInMemory()
    {
        var ml = new MLContext(seed: 5);
        using var loaded = SageModel.LoadWithFeaturizers(ml, s_modelPath, out var inputSchema, cacheFolder: Path.Combine(s_root, "serving"));
        var rows = ml.Data.LoadFromEnumerable(s_files.Select(f => new VideoOnly { VideoFile = f }).ToArray());

        var actual = Predictions(ml, loaded.Transform(rows));

        Assert.HasCount(4, loaded.ToArray());
        Assert.IsInstanceOfType<SageFaceExtractionTransformer>(loaded.First());
        Assert.IsInstanceOfType<Sage.MLNet.Export.SageWindowedScorer>(loaded.Last(), "the saved graph scores a long video in windows");
        Assert.IsTrue(((Sage.MLNet.Export.SageWindowedScorer)loaded.Last()).HasOwnSession, "windows run through the scorer's own session, its arena shrunk after each");
        Assert.IsNotNull(inputSchema.GetColumnOrNull("VideoFile"));
        Assert.IsNull(inputSchema.GetColumnOrNull("FaceFolder"));
        Assert.IsNull(inputSchema.GetColumnOrNull("FrameCount"));
        Assert.HasCount(2, actual);
        Assert.HasCount(25 * 3, actual[0]);
        Assert.HasCount(30 * 3, actual[1]);
        for (var video = 0; video < s_expected.Length; video++)
        {
            CollectionAssert.AreEqual(s_expected[video], actual[video], $"video {video}");
        }
    }

    [TestMethod]
    public void Transform_VideoWithNoFace_ThrowsInvalidDataExceptionNamingFile()
    {
        var black = s_videos.NoFace("served-black.mp4");
        var ml = new MLContext(seed: 5);
        using var loaded = SageModel.LoadWithFeaturizers(ml, s_modelPath, out _, cacheFolder: Path.Combine(s_root, "serving-errors"));
        var rows = ml.Data.LoadFromEnumerable([new VideoOnly { VideoFile = black }]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Predictions(ml, loaded.Transform(rows)));

        StringAssert.Contains(error.Message, "served-black.mp4");
        StringAssert.Contains(error.Message, "no face");
    }

    [TestMethod]
    public void Transform_FileThatIsNotAVideo_ThrowsInvalidDataExceptionNamingFile()
    {
        var text = Path.Combine(s_root, "served notes.mp4");
        File.WriteAllText(text, "not a video at all");
        var ml = new MLContext(seed: 5);
        using var loaded = SageModel.LoadWithFeaturizers(ml, s_modelPath, out _, cacheFolder: Path.Combine(s_root, "serving-errors"));
        var rows = ml.Data.LoadFromEnumerable([new VideoOnly { VideoFile = text }]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Predictions(ml, loaded.Transform(rows)));

        StringAssert.Contains(error.Message, "served notes.mp4");
    }

    [TestMethod]
    public void LoadWithFeaturizers_NoAudioTrack_FailsUnderSavedPolicyAndScoresWithZerosOverride()
    {
        var silent = s_videos.StaticWithoutAudio("served-silent.mp4");
        var ml = new MLContext(seed: 5);
        var rows = ml.Data.LoadFromEnumerable([new VideoOnly { VideoFile = silent }]);
        using var saved = SageModel.LoadWithFeaturizers(ml, s_modelPath, out _, cacheFolder: Path.Combine(s_root, "serving-silent"));
        using var zeros = SageModel.LoadWithFeaturizers(ml, s_modelPath, out _, cacheFolder: Path.Combine(s_root, "serving-silent"),
            missingAudio: SageMissingAudioPolicy.Zeros);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Predictions(ml, saved.Transform(rows)));
        var scored = ml.Data.CreateEnumerable<ScoredWithAudio>(zeros.Transform(rows), reuseRowObject: false).Single();

        StringAssert.Contains(error.Message, "served-silent.mp4");
        StringAssert.Contains(error.Message, "no audio track");
        Assert.HasCount(25, scored.PredictedValence);
        Assert.HasCount(25 * 128, scored.AudioFeatures);
        Assert.IsTrue(scored.AudioFeatures.All(v => v == 0), "a video with no audio track has zero audio features");
        Assert.IsTrue(scored.PredictedValence.All(v => v >= -1 && v <= 1), "valence in [-1, 1]");
        Assert.AreEqual(25, scored.FaceFound.Count(f => f == 1), "the face is found in every frame");
    }

    [TestMethod]
    public void LoadWithFeaturizers_UndefinedMissingAudio_ThrowsNamingParameter()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            SageModel.LoadWithFeaturizers(new MLContext(), s_modelPath, out _, missingAudio: (SageMissingAudioPolicy)7));

        Assert.AreEqual("missingAudio", error.ParamName);
    }

    [TestMethod]
    public void Save_WithExtraction_RecordsDetectorHashAndSettings()
    {
        using var archive = ZipFile.OpenRead(s_modelPath);
        using var stream = archive.GetEntry("Sage/featurization.json")!.Open();
        var extraction = JsonNode.Parse(stream)!["extraction"]!;

        Assert.AreEqual("packaged BlazeFace", (string)extraction["detector"]!);
        Assert.AreEqual("BlazeFaceFullRange", (string)extraction["detectorModel"]!);
        Assert.AreEqual("427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2", (string)extraction["detectorSha256"]!);
        Assert.AreEqual(112, (int)extraction["cropSize"]!);
        Assert.AreEqual(0.5, (double)extraction["minDetectionScore"]!, 1e-6);
        Assert.AreEqual("VideoFile", (string)extraction["videoFileColumnName"]!);
    }

    private static float[][] Predictions(MLContext ml, IDataView scored) =>
        [.. ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false)
            .Select(row => (float[])[.. row.PredictedValence, .. row.PredictedArousal, .. row.Reliability])];

    private sealed class LabelledVideo
    {
        public string VideoFile { get; set; } = "";

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }

    private sealed class ScoredWithAudio
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] FaceFound { get; set; } = [];
    }

    private sealed class VideoOnly
    {
        public string VideoFile { get; set; } = "";
    }
}

using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Tests;

/// <summary>
/// One test per kind of bad input: each asserts the exception type and that the message names the
/// culprit (column, row or video, value, option, file or entry), so a user can find and fix it.
/// </summary>
[TestClass]
public sealed class BadInputTests
{
    private const int Frames = 4;

    private static MLContext s_ml = null!;
    private static IDataView s_train = null!;
    private static SageTransformer s_model = null!;
    private static string s_directory = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext _)
    {
        s_ml = new MLContext(seed: 1);
        s_train = TestData.Videos(s_ml, 2, seed: 1, minFrames: 20, maxFrames: 60);
        s_model = s_ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 1)).Fit(s_train);
        s_directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"sage-bad-input-{Guid.NewGuid():N}")).FullName;
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_model?.Dispose();
        if (s_directory is not null)
        {
            Directory.Delete(s_directory, recursive: true);
        }
    }

    // ---- Fit: schema ----

    [TestMethod]
    [DataRow("VisualFeatures", "visual features")]
    [DataRow("AudioFeatures", "audio features")]
    [DataRow("Valence", "valence")]
    [DataRow("Arousal", "arousal")]
    public void Fit_ColumnMissing_ThrowsNamingColumn(string column, string role)
    {
        var data = s_ml.Transforms.DropColumns(column).Fit(GoodRow()).Transform(GoodRow());
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Fit(data));
        Assert.Contains($"Could not find {role} column '{column}'", error.Message);
    }

    [TestMethod]
    public void Fit_ValenceIsScalarSingle_ThrowsNamingColumnAndType()
    {
        var data = s_ml.Data.LoadFromEnumerable([new ScalarValenceRow { VisualFeatures = Features(Frames, TestData.VisualSize), AudioFeatures = Features(Frames, TestData.AudioSize), Valence = 0.5f, Arousal = Labels(Frames) }]);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Fit(data));
        Assert.Contains("Schema mismatch for valence column 'Valence': expected vector of Single, got Single", error.Message);
    }

    [TestMethod]
    public void Fit_VisualFeaturesAreDoubles_ThrowsNamingColumnAndType()
    {
        var data = s_ml.Data.LoadFromEnumerable([new DoubleVisualRow { VisualFeatures = new double[Frames * TestData.VisualSize], AudioFeatures = Features(Frames, TestData.AudioSize), Valence = Labels(Frames), Arousal = Labels(Frames) }]);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Fit(data));
        Assert.Contains("Schema mismatch for visual features column 'VisualFeatures'", error.Message);
        Assert.Contains("Double", error.Message);
    }

    [TestMethod]
    public void GetOutputSchema_AudioColumnMissing_ThrowsNamingColumn()
    {
        var data = s_ml.Transforms.DropColumns("AudioFeatures").Fit(GoodRow()).Transform(GoodRow());
        var estimator = s_ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 1));
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(TestData.ShapeOf(data.Schema)));
        Assert.Contains("Could not find audio features column 'AudioFeatures'", error.Message);
    }

    // ---- Fit: data ----

    [TestMethod]
    public void Fit_VisualLengthNotMultipleOfFrameSize_ThrowsNamingRowAndLength()
    {
        var visual = Features(Frames, TestData.VisualSize).Append(0f).ToArray();
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(Row(visual: visual)));
        Assert.Contains($"row 0: column 'VisualFeatures' has {Frames * TestData.VisualSize + 1} values", error.Message);
    }

    [TestMethod]
    public void Fit_NoFrames_ThrowsNamingRowAndColumn()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(Row(visual: [], audio: [], valence: [], arousal: [])));
        Assert.Contains("row 0: column 'VisualFeatures' is empty", error.Message);
    }

    [TestMethod]
    public void Fit_AudioFramesDifferFromVisual_ThrowsNamingBothCounts()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(Row(audio: Features(Frames - 1, TestData.AudioSize))));
        Assert.Contains($"row 0: column 'AudioFeatures' holds {Frames - 1} frames but column 'VisualFeatures' holds {Frames}", error.Message);
    }

    [TestMethod]
    public void Fit_ValenceLengthDiffersFromFrames_ThrowsNamingColumnAndLength()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(Row(valence: Labels(Frames + 2))));
        Assert.Contains($"row 0: column 'Valence' has {Frames + 2} labels but the video has {Frames} frames", error.Message);
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    [DataRow(float.NegativeInfinity)]
    public void Fit_NonFiniteFeature_ThrowsNamingFrameAndValue(float bad)
    {
        var audio = Features(Frames, TestData.AudioSize);
        audio[2 * TestData.AudioSize + 5] = bad;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(Row(audio: audio)));
        Assert.Contains($"row 0: column 'AudioFeatures' has {bad} at frame 2, feature 5", error.Message);
    }

    [TestMethod]
    public void Fit_NaNLabel_ThrowsNamingColumnAndFrame()
    {
        var arousal = Labels(Frames);
        arousal[1] = float.NaN;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(Row(arousal: arousal)));
        Assert.Contains($"row 0: column 'Arousal' has {float.NaN} at frame 1", error.Message);
    }

    [TestMethod]
    public void Fit_BadRowWithVideoId_ThrowsNamingVideo()
    {
        var row = GoodVideo("clip-7");
        row.Valence = Labels(Frames - 1);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(s_ml.Data.LoadFromEnumerable([GoodVideo("clip-6"), row])));
        Assert.Contains("video 'clip-7' (row 1): column 'Valence'", error.Message);
    }

    [TestMethod]
    public void Fit_NoRows_ThrowsSayingSo()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(s_ml.Data.LoadFromEnumerable(Array.Empty<TestData.VideoRow>())));
        Assert.Contains("no rows", error.Message);
    }

    [TestMethod]
    public void Fit_EveryLabelMinusFive_ThrowsSayingNoFrameIsAnnotated()
    {
        var unannotated = Enumerable.Repeat(SageLabels.NotAnnotated, Frames).ToArray();
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(Row(valence: unannotated)));
        Assert.Contains("no annotated frames", error.Message);
    }

    [TestMethod]
    public void Fit_CudaDeviceWithoutCudaBackend_ThrowsNamingDeviceAndFix()
    {
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.TrainingDevice = "cuda:0";
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => s_ml.Transforms.Sage(options).Fit(GoodRow()).Dispose());
        Assert.Contains("TrainingDevice 'cuda:0'", error.Message);
        Assert.Contains("SageTorchBackend=cuda", error.Message);
    }

    [TestMethod]
    public void Fit_UnknownDevice_ThrowsNamingOption()
    {
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.TrainingDevice = "abacus";
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_ml.Transforms.Sage(options).Fit(GoodRow()).Dispose());
        Assert.AreEqual(nameof(SageOptions.TrainingDevice), error.ParamName);
    }

    // ---- Transform and PredictionEngine: the checks run before ONNX Runtime ----

    [TestMethod]
    public void Transform_VisualLengthNotMultipleOfFrameSize_ThrowsNamingRowAndLength()
    {
        var row = GoodVideo();
        row.VisualFeatures = [.. row.VisualFeatures, 1f];
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Score(row));
        Assert.Contains($"row 0: column 'VisualFeatures' has {Frames * TestData.VisualSize + 1} values", error.Message);
    }

    [TestMethod]
    public void Transform_NoFrames_ThrowsNamingRowAndColumn()
    {
        var row = GoodVideo();
        row.VisualFeatures = [];
        row.AudioFeatures = [];
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Score(row));
        Assert.Contains("row 0: column 'VisualFeatures' is empty", error.Message);
    }

    [TestMethod]
    public void Transform_NaNFeature_ThrowsNamingFrameAndValue()
    {
        var row = GoodVideo();
        row.VisualFeatures[3 * TestData.VisualSize + 1] = float.NaN;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Score(row));
        Assert.Contains($"row 0: column 'VisualFeatures' has {float.NaN} at frame 3, feature 1", error.Message);
    }

    [TestMethod]
    public void Transform_AudioFramesDifferFromVisual_ThrowsNamingBothCounts()
    {
        var row = GoodVideo();
        row.AudioFeatures = Features(Frames + 1, TestData.AudioSize);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Score(row));
        Assert.Contains($"row 0: column 'AudioFeatures' holds {Frames + 1} frames but column 'VisualFeatures' holds {Frames}", error.Message);
    }

    [TestMethod]
    public void Transform_BadSecondRowWithVideoId_ThrowsNamingVideo()
    {
        var bad = GoodVideo("clip-9");
        bad.AudioFeatures[0] = float.PositiveInfinity;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Score(GoodVideo("clip-8"), bad));
        Assert.Contains($"video 'clip-9' (row 1): column 'AudioFeatures' has {float.PositiveInfinity} at frame 0, feature 0", error.Message);
    }

    [TestMethod]
    public void Transform_GoodRows_PassThroughUnchanged()
    {
        var rows = new[] { GoodVideo("a"), GoodVideo("b") };
        var scored = s_model.Transform(s_ml.Data.LoadFromEnumerable(rows));
        var read = s_ml.Data.CreateEnumerable<TestData.VideoRow>(scored, reuseRowObject: false).ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.AreEqual(rows[i].VideoId, read[i].VideoId);
            CollectionAssert.AreEqual(rows[i].VisualFeatures, read[i].VisualFeatures);
            CollectionAssert.AreEqual(rows[i].AudioFeatures, read[i].AudioFeatures);
            CollectionAssert.AreEqual(rows[i].Valence, read[i].Valence);
        }
    }

    [TestMethod]
    public void PredictionEngine_VisualLengthNotMultipleOfFrameSize_ThrowsNamingRowAndLength()
    {
        var row = GoodVideo();
        row.VisualFeatures = row.VisualFeatures[..^3];
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Predict(row));
        Assert.Contains($"row 0: column 'VisualFeatures' has {Frames * TestData.VisualSize - 3} values", error.Message);
    }

    [TestMethod]
    public void PredictionEngine_NoFrames_ThrowsNamingRowAndColumn()
    {
        var row = GoodVideo();
        row.AudioFeatures = [];
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Predict(row));
        Assert.Contains("row 0: column 'AudioFeatures' is empty", error.Message);
    }

    [TestMethod]
    public void PredictionEngine_NaNFeature_ThrowsNamingFrameAndValue()
    {
        var row = GoodVideo("clip-3");
        row.AudioFeatures[TestData.AudioSize + 2] = float.NaN;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Predict(row));
        Assert.Contains($"video 'clip-3' (row 0): column 'AudioFeatures' has {float.NaN} at frame 1, feature 2", error.Message);
    }

    [TestMethod]
    public void PredictionEngine_AudioFramesDifferFromVisual_ThrowsNamingBothCounts()
    {
        var row = GoodVideo();
        row.VisualFeatures = Features(Frames + 2, TestData.VisualSize);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Predict(row));
        Assert.Contains($"row 0: column 'AudioFeatures' holds {Frames} frames but column 'VisualFeatures' holds {Frames + 2}", error.Message);
    }

    [TestMethod]
    public void PredictionEngine_GoodRowAfterBadRow_Predicts()
    {
        using var engine = s_ml.Model.CreatePredictionEngine<TestData.VideoRow, TestData.ScoredRow>(
            s_model, new PredictionEngineOptions { OwnsTransformer = false });
        var bad = GoodVideo();
        bad.AudioFeatures = Features(Frames - 1, TestData.AudioSize);
        Assert.ThrowsExactly<InvalidDataException>(() => engine.Predict(bad));
        var good = engine.Predict(GoodVideo());
        Assert.AreEqual(Frames, good.PredictedValence.Length);
        Assert.IsTrue(good.PredictedValence.All(float.IsFinite));
    }

    // ---- Options: rejected by the catalog call, naming the option ----

    private static readonly Dictionary<string, Action<SageOptions>> s_badOptions = new()
    {
        [nameof(SageOptions.VisualFeatureSize)] = o => o.VisualFeatureSize = 0,
        [nameof(SageOptions.WindowStride)] = o => (o.WindowLength, o.WindowStride) = (100, 150),
        [nameof(SageOptions.AttentionHeads)] = o => o.AttentionHeads = 3,       // 2 × TcnChannels = 32
        [nameof(SageOptions.Dropout)] = o => o.Dropout = 1,
        [nameof(SageOptions.TcnKernelSize)] = o => o.TcnKernelSize = 4,
        [nameof(SageOptions.ArousalColumnName)] = o => o.ArousalColumnName = "",
        [nameof(SageOptions.ReliabilityColumnName)] = o => o.ReliabilityColumnName = o.PredictedValenceColumnName,
    };

    [TestMethod]
    [DataRow(nameof(SageOptions.VisualFeatureSize))]
    [DataRow(nameof(SageOptions.WindowStride))]
    [DataRow(nameof(SageOptions.AttentionHeads))]
    [DataRow(nameof(SageOptions.Dropout))]
    [DataRow(nameof(SageOptions.TcnKernelSize))]
    [DataRow(nameof(SageOptions.ArousalColumnName))]
    [DataRow(nameof(SageOptions.ReliabilityColumnName))]
    public void Sage_OptionOutOfRange_ThrowsNamingOption(string option)
    {
        var options = TestData.SmallOptions(maxEpochs: 1);
        s_badOptions[option](options);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_ml.Transforms.Sage(options));
        Assert.AreEqual(option, error.ParamName);
        Assert.Contains(option, error.Message);
    }

    // ---- Model zip: SageModel.Load ----

    [TestMethod]
    public void SageModelLoad_MissingFile_ThrowsNamingFile()
    {
        var path = TempPath("missing.zip");
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => SageModel.Load(s_ml, path, out _));
        Assert.AreEqual(path, error.FileName);
        Assert.Contains(path, error.Message);
    }

    [TestMethod]
    public void SageModelLoad_TruncatedModel_ThrowsNamingFile()
    {
        var model = TempPath("model.zip");
        s_ml.Model.Save(s_model, s_train.Schema, model);
        var bytes = File.ReadAllBytes(model);
        var path = TempPath("truncated.zip");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => SageModel.Load(s_ml, path, out _));
        Assert.Contains(path, error.Message);
    }

    [TestMethod]
    public void SageModelLoad_RandomBytes_ThrowsNamingFile()
    {
        var path = TempPath("random.zip");
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => SageModel.Load(s_ml, path, out _));
        Assert.Contains(path, error.Message);
    }

    [TestMethod]
    public void SageModelLoad_EntryEscapingFolder_ThrowsNamingEntry()
    {
        var path = WriteZip("escaping.zip", ("Model/Version.txt", "1"), ("../evil.txt", "boo"));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => SageModel.Load(s_ml, path, out _));
        Assert.Contains("'../evil.txt'", error.Message);
        Assert.Contains(path, error.Message);
    }

    [TestMethod]
    public void SageModelLoad_ZipThatIsNotAModel_ThrowsNamingFile()
    {
        var path = WriteZip("notes.zip", ("notes.txt", "not a model"));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => SageModel.Load(s_ml, path, out _));
        Assert.Contains(path, error.Message);
    }

    // ---- Checkpoint: SageOptions.InitialCheckpoint, read by Fit ----

    [TestMethod]
    public void Fit_CheckpointMissing_ThrowsNamingFile()
    {
        var path = TempPath("missing.ckpt");
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => FitFrom(path));
        Assert.Contains(path, error.Message);
    }

    [TestMethod]
    public void Fit_CheckpointTruncated_ThrowsNamingFile()
    {
        var checkpoint = TempPath("whole.ckpt");
        s_model.SaveCheckpoint(checkpoint);
        var bytes = File.ReadAllBytes(checkpoint);
        var path = TempPath("truncated.ckpt");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => FitFrom(path));
        Assert.Contains($"Checkpoint file '{path}'", error.Message);
    }

    [TestMethod]
    public void Fit_CheckpointEntryEscapingFolder_ThrowsNamingEntry()
    {
        var checkpoint = TempPath("escaping.ckpt");
        s_model.SaveCheckpoint(checkpoint);
        using (var archive = ZipFile.Open(checkpoint, ZipArchiveMode.Update))
        {
            using var writer = new StreamWriter(archive.CreateEntry("../evil.txt").Open());
            writer.Write("boo");
        }
        var error = Assert.ThrowsExactly<InvalidDataException>(() => FitFrom(checkpoint));
        Assert.Contains($"Checkpoint file '{checkpoint}' has an entry '../evil.txt'", error.Message);
    }

    [TestMethod]
    public void Fit_CheckpointOfOtherNetworkSize_ThrowsNamingBothConfigs()
    {
        var checkpoint = TempPath("small.ckpt");
        s_model.SaveCheckpoint(checkpoint);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => FitFrom(checkpoint, o => o.TcnChannels = 32));
        Assert.Contains($"Checkpoint file '{checkpoint}'", error.Message);
        Assert.Contains("TcnChannels = 16", error.Message);
        Assert.Contains("TcnChannels = 32", error.Message);
    }

    // ---- helpers ----

    private static void Fit(IDataView data)
    {
        using var model = s_ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 1)).Fit(data);
    }

    private static void FitFrom(string checkpoint, Action<SageOptions>? change = null)
    {
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.InitialCheckpoint = checkpoint;
        change?.Invoke(options);
        using var model = s_ml.Transforms.Sage(options).Fit(GoodRow());
    }

    private static TestData.ScoredRow[] Score(params TestData.VideoRow[] rows) =>
        s_ml.Data.CreateEnumerable<TestData.ScoredRow>(s_model.Transform(s_ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToArray();

    private static TestData.ScoredRow Predict(TestData.VideoRow row)
    {
        using var engine = s_ml.Model.CreatePredictionEngine<TestData.VideoRow, TestData.ScoredRow>(
            s_model, new PredictionEngineOptions { OwnsTransformer = false });
        return engine.Predict(row);
    }

    private static IDataView GoodRow() => s_ml.Data.LoadFromEnumerable([GoodVideo()]);

    /// <summary>One row of <see cref="Frames"/> frames with the given parts replaced.</summary>
    private static IDataView Row(float[]? visual = null, float[]? audio = null, float[]? valence = null, float[]? arousal = null) =>
        TestData.Row(s_ml,
            visual ?? Features(Frames, TestData.VisualSize),
            audio ?? Features(Frames, TestData.AudioSize),
            valence ?? Labels(Frames),
            arousal ?? Labels(Frames));

    private static TestData.VideoRow GoodVideo(string videoId = "") => new()
    {
        VideoId = videoId,
        VisualFeatures = Features(Frames, TestData.VisualSize),
        AudioFeatures = Features(Frames, TestData.AudioSize),
        Valence = Labels(Frames),
        Arousal = Labels(Frames),
    };

    private static float[] Features(int frames, int size) =>
        Enumerable.Range(0, frames * size).Select(i => (float)Math.Sin(i)).ToArray();

    private static float[] Labels(int frames) =>
        Enumerable.Range(0, frames).Select(t => 0.1f * t).ToArray();

    private static string TempPath(string name) => Path.Combine(s_directory, $"{Guid.NewGuid():N}-{name}");

    private static string WriteZip(string name, params (string Entry, string Text)[] entries)
    {
        var path = TempPath(name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, text) in entries)
        {
            using var writer = new StreamWriter(archive.CreateEntry(entry).Open());
            writer.Write(text);
        }
        return path;
    }

    private sealed class ScalarValenceRow
    {
        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float Valence { get; set; }

        public float[] Arousal { get; set; } = [];
    }

    private sealed class DoubleVisualRow
    {
        public double[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

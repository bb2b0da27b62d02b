using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Tests.Featurization.Audio;
using Sage.MLNet.Tests.Featurization.Faces;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// The sample program's commands on one tiny synthetic copy, each run as a process: synth and train once for the class,
/// then validate, featurize, evaluate and predict against what they wrote.
/// </summary>
[TestClass]
public sealed class SampleWorkflowTests
{
    private static string s_root = null!;
    private static string s_data = null!;
    private static string s_cache = null!;
    private static string s_model = null!;
    private static ProgramRun s_synth = null!;
    private static ProgramRun s_train = null!;

    [ClassInitialize]
    public static void SynthesiseAndTrainOnce(TestContext _)
    {
        s_root = Directory.CreateTempSubdirectory("sage-samples-").FullName;
        s_data = Path.Combine(s_root, "data");
        s_cache = Path.Combine(s_root, "cache");
        s_model = Path.Combine(s_root, "model");
        s_synth = SampleProgram.RunSucceeding("synth", "--out", s_data, "--train-videos", "2", "--validation-videos", "1",
            "--test-videos", "1", "--seconds", "4");
        s_train = SampleProgram.RunSucceeding("train", "--data", s_data, "--out", s_model, "--cache", s_cache,
            "--folds", "1", "--epochs", "2", "--plot-videos", "1");
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        if (s_root is not null && Directory.Exists(s_root))
        {
            Directory.Delete(s_root, recursive: true);
        }
    }

    [TestMethod]
    public void Synth_TinyCopy_WritesEverySplitInTheRealLayout()
    {
        StringAssert.Contains(s_synth.Output, "Wrote 4 videos of 100 frames");
        var annotations = Path.Combine(s_data, "6th_ABAW_Annotations", "VA_Estimation_Challenge");
        Assert.HasCount(2, Directory.GetFiles(Path.Combine(annotations, "Train_Set"), "*.txt"));
        Assert.HasCount(1, Directory.GetFiles(Path.Combine(annotations, "Validation_Set"), "*.txt"));
        Assert.HasCount(1, Directory.GetFiles(Path.Combine(s_data, "synthetic_test_labels"), "*.txt"));
    }

    [TestMethod]
    public void Validate_SyntheticCopy_ReportsEachSplitAndExitsZero()
    {
        var run = SampleProgram.RunSucceeding("validate", "--data", s_data);
        StringAssert.Contains(run.Output, "Train: 2 videos, 0 errors");
        StringAssert.Contains(run.Output, "Validation: 1 videos, 0 errors");
        StringAssert.Contains(run.Output, "Test: 1 videos, 0 errors");
        StringAssert.Contains(run.Output, "The copy is usable.");
    }

    [TestMethod]
    public void Validate_FolderWithoutAnnotations_ExitsOneWithErrors()
    {
        var empty = Directory.CreateDirectory(Path.Combine(s_root, "empty")).FullName;
        var run = SampleProgram.Run("validate", "--data", empty);
        Assert.AreEqual(1, run.ExitCode);
        StringAssert.Contains(run.Output, "Error: ");
        StringAssert.Contains(run.Output, "The copy has errors");
    }

    [TestMethod]
    public void Train_TwoEpochs_WritesModelWeightsAndMetricsOfTheValidationSplit()
    {
        Assert.IsGreaterThan(10_000, new FileInfo(Path.Combine(s_model, "sage.zip")).Length);
        Assert.IsGreaterThan(10_000, new FileInfo(Path.Combine(s_model, "sage.ckpt")).Length);
        Assert.IsFalse(File.Exists(Path.Combine(s_model, "sage-fold1.ckpt")));
        var metrics = SampleProgram.ReadMetrics(s_model);
        Assert.AreEqual("validation", metrics.GetProperty("split").GetString());
        Assert.AreEqual(AnnotatedFrames(Path.Combine(s_data, "6th_ABAW_Annotations", "VA_Estimation_Challenge", "Validation_Set")),
            metrics.GetProperty("frames").GetInt64());
        Assert.AreEqual(2, metrics.GetProperty("epochs").GetArrayLength());
        Assert.AreEqual(1, metrics.GetProperty("videos").GetArrayLength());
        Assert.AreEqual(JsonValueKind.Null, metrics.GetProperty("folds").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, metrics.GetProperty("epochs")[0].GetProperty("fold").ValueKind);
        StringAssert.Contains(s_train.Output, "validation CCC: valence");
    }

    [TestMethod]
    public void Train_TwoEpochs_DrawsCurvesScatterAndOneVideo()
    {
        var plots = Path.Combine(s_model, "plots");
        SampleProgram.AssertPlot(Path.Combine(plots, "training-curves.png"));
        SampleProgram.AssertPlot(Path.Combine(plots, "valence-arousal.png"));
        var videos = Directory.GetFiles(plots, "video-*.png");
        Assert.HasCount(1, videos);
        SampleProgram.AssertPlot(videos[0]);
    }

    [TestMethod]
    public void Train_EncoderFilesGiven_TrainsOnTheirFeatureWidths()
    {
        var faceEncoder = Path.Combine(s_root, "face-encoder.onnx");
        var audioEncoder = Path.Combine(s_root, "audio-encoder.onnx");
        GlobalAveragePoolEncoder.Write(faceEncoder);         // Dv = 3: the channel means
        TinyAudioEncoderModel.Write(audioEncoder);           // Da = 2
        var output = Path.Combine(s_root, "model-encoders");

        var run = SampleProgram.RunSucceeding("train", "--data", s_data, "--out", output, "--cache", Path.Combine(s_root, "cache-encoders"),
            "--face-encoder", faceEncoder, "--face-encoder-output", GlobalAveragePoolEncoder.OutputName, "--image-size", "32",
            "--face-mean", "0.5", "0.5", "0.5", "--face-std", "0.25", "0.25", "0.25", "--audio-encoder", audioEncoder,
            "--epochs", "1", "--plot-videos", "0");

        StringAssert.Contains(run.Output, "Training SAGE (Dv 3, Da 2)");
        Assert.AreEqual(1, SampleProgram.ReadMetrics(output).GetProperty("epochs").GetArrayLength());
    }

    [TestMethod]
    public void Train_AugmentFaces_CachesAugmentedTrainFeaturesApartAndSavesPlainFeaturizers()
    {
        var cache = Path.Combine(s_root, "cache-augmented");
        var output = Path.Combine(s_root, "model-augmented");

        var run = SampleProgram.RunSucceeding("train", "--data", s_data, "--out", output, "--cache", cache, "--augment-faces",
            "--epochs", "1", "--plot-videos", "0");

        StringAssert.Contains(run.Output, "train (augmented faces)");
        // Plain faces (Validation), augmented faces (Train) and audio: three featurizer settings, three cache folders.
        var folders = Directory.GetDirectories(cache).Select(Path.GetFileName).Order().ToArray();
        Assert.HasCount(3, folders, string.Join(", ", folders));
        Assert.AreEqual(2, folders.Count(f => f!.StartsWith("faces-", StringComparison.Ordinal)));
        var trainVideos = new MLContext().Data.LoadAffWild2(s_data, AffWild2Split.Train).GetColumn<string>("VideoId").Count();
        var augmentedFolder = folders.Select(f => Path.Combine(cache, f!))
            .Single(f => File.ReadAllText(Path.Combine(f, "featurizer.json")).Contains("minCropScale", StringComparison.Ordinal));
        Assert.AreEqual(trainVideos, Directory.GetFiles(augmentedFolder, "*.features").Length);
        using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(output, "sage.zip"));
        using var reader = new StreamReader(zip.GetEntry("Sage/featurization.json")!.Open());
        Assert.DoesNotContain("ugmentation", reader.ReadToEnd());
    }

    [TestMethod]
    public void Featurize_CacheFilledByTrain_ComputesNoTrainOrValidationVideoAgain()
    {
        var run = SampleProgram.RunSucceeding("featurize", "--data", s_data, "--cache", s_cache);
        var counts = run.Output.Split('\n').Where(line => line.TrimStart().StartsWith("faces:", StringComparison.Ordinal) || line.TrimStart().StartsWith("audio:", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(6, counts);     // faces and audio for train, validation, test
        foreach (var line in counts.Take(4))
        {
            StringAssert.Contains(line, " cached, 0 computed, 0 failed");
        }
        StringAssert.Contains(counts[0], "2 cached");
    }

    [TestMethod]
    public void Featurize_UnreadableCrop_WarnsAndLeavesOnlyThatVideoOut()
    {
        var copy = Path.Combine(s_root, "data-damaged");
        CopyFolder(s_data, copy);
        var ml = new MLContext();
        var damaged = ml.Data.CreateEnumerable<VideoPaths>(ml.Data.LoadAffWild2(copy, AffWild2Split.Train), reuseRowObject: false).First();
        File.WriteAllText(Path.Combine(damaged.FaceFolder, "00002.jpg"), "not a JPEG");

        var run = SampleProgram.RunSucceeding("featurize", "--data", copy, "--cache", Path.Combine(s_root, "cache-damaged"));

        StringAssert.Contains(run.Output, $"warning: left out {damaged.VideoId}: ");
        StringAssert.Contains(run.Output, "faces: 0 cached, 1 computed, 1 failed");
    }

    [TestMethod]
    public void Evaluate_SavedModelFromRawVideos_MatchesTheScoresOfTrainingAndReadsItsCache()
    {
        var output = Path.Combine(s_root, "evaluation");
        var cached = CacheFiles();
        SampleProgram.RunSucceeding("evaluate", "--data", s_data, "--model", Path.Combine(s_model, "sage.zip"), "--out", output, "--cache", s_cache);
        // The Validation videos were featurised by train into this cache; evaluate's rebuilt featurizers hit it, adding no file.
        CollectionAssert.AreEquivalent(cached, CacheFiles());
        var evaluated = SampleProgram.ReadMetrics(output);
        var trained = SampleProgram.ReadMetrics(s_model);
        Assert.AreEqual(trained.GetProperty("frames").GetInt64(), evaluated.GetProperty("frames").GetInt64());
        Assert.AreEqual(trained.GetProperty("mean_ccc").GetDouble(), evaluated.GetProperty("mean_ccc").GetDouble(), 1e-4);
        Assert.AreEqual(0, evaluated.GetProperty("epochs").GetArrayLength());
    }

    [TestMethod]
    public void Evaluate_TestSplit_ScoresEveryAnnotatedFrameOfItsSyntheticLabels()
    {
        var output = Path.Combine(s_root, "evaluation-test");
        SampleProgram.RunSucceeding("evaluate", "--data", s_data, "--model", Path.Combine(s_model, "sage.zip"), "--split", "test",
            "--out", output, "--plot-videos", "0", "--cache", Path.Combine(s_root, "cache-test-split"));
        var metrics = SampleProgram.ReadMetrics(output);
        Assert.AreEqual("test", metrics.GetProperty("split").GetString());
        Assert.AreEqual(AnnotatedFrames(Path.Combine(s_data, "synthetic_test_labels")), metrics.GetProperty("frames").GetInt64());
    }

    [TestMethod]
    public void Predict_OneVideoWithCrops_WritesOneLinePerFrameWithPlotAndContactSheet()
    {
        var ml = new MLContext();
        var row = ml.Data.CreateEnumerable<VideoPaths>(ml.Data.LoadAffWild2(s_data, AffWild2Split.Validation), reuseRowObject: false).Single();
        var (faces, video) = (row.FaceFolder, row.VideoFile);
        var csv = Path.Combine(s_root, "predict", "predictions.csv");
        var run = SampleProgram.RunSucceeding("predict", "--model", Path.Combine(s_model, "sage.zip"), "--video", video, "--faces", faces, "--out", csv);

        var lines = File.ReadAllLines(csv);
        Assert.AreEqual("frame,time,valence,arousal,reliability,face", lines[0]);
        Assert.HasCount(100 + 1, lines);
        var rows = lines.Skip(1).Select(line => line.Split(',')).ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(0, 100).Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray(), rows.Select(r => r[0]).ToArray());
        // The synthetic videos run at 25 fps: frame t is shown at t / 25 s.
        Assert.AreEqual(99 / 25.0, double.Parse(rows[^1][1], CultureInfo.InvariantCulture), 1e-9);
        Assert.IsTrue(rows.SelectMany(r => r[2..4]).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).All(v => v is >= -1 and <= 1));
        Assert.IsTrue(rows.Select(r => double.Parse(r[4], CultureInfo.InvariantCulture)).All(w => w > 0));
        // The face column is 1 exactly where the folder has the frame's crop.
        CollectionAssert.AreEqual(Enumerable.Range(1, 100).Select(n => File.Exists(Path.Combine(faces, $"{n:D5}.jpg")) ? "1" : "0").ToArray(),
            rows.Select(r => r[5]).ToArray());
        StringAssert.Contains(run.Output, "(8 crops)");
        SampleProgram.AssertPlot(Path.ChangeExtension(csv, ".png"));
        SampleProgram.AssertPlot(Path.Combine(s_root, "predict", "predictions-faces.png"));
    }

    /// <summary>Counts the frames with both labels in every annotation file of <paramref name="folder"/>.</summary>
    private static long AnnotatedFrames(string folder) =>
        Directory.GetFiles(folder, "*.txt").Sum(file => File.ReadLines(file).Skip(1).Count(line => line.Length > 0 && line != "-5,-5"));

    private static void CopyFolder(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private sealed class VideoPaths
    {
        public string VideoId { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public string VideoFile { get; set; } = "";
    }

    private static string[] CacheFiles() => Directory.GetFiles(s_cache, "*.features", SearchOption.AllDirectories);
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Modeling;
using Sage.MLNet.Persistence;
using TorchSharp;

namespace Sage.MLNet.Tests.Training.CrossValidation;

/// <summary>
/// The cross-validation estimator workout: fold report, target-wise selection, the served combination against the chosen
/// folds' networks, save/load, PredictionEngine, progress, averaging and option errors.
/// </summary>
[TestClass]
public sealed class SageCrossValidationTests
{
    private const int FoldCount = 3;
    private const int TrainingVideos = 6;
    private static MLContext s_ml = null!;
    private static IDataView s_train = null!;
    private static IDataView s_validation = null!;
    private static List<SageFoldProgress> s_progress = null!;
    private static SageCrossValidationTransformer s_model = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext _)
    {
        s_ml = new MLContext(seed: 1);
        s_train = TestData.Videos(s_ml, TrainingVideos, seed: 1, minFrames: 150, maxFrames: 350);
        s_validation = TestData.Videos(s_ml, 3, seed: 2, minFrames: 150, maxFrames: 450);
        s_progress = [];
        var crossValidation = new SageCrossValidationOptions
        {
            FoldCount = FoldCount,
            ValidationData = s_validation,
            Progress = new Recorder(s_progress),
        };
        s_model = s_ml.Transforms.SageCrossValidation(TestData.SmallOptions(maxEpochs: 2), crossValidation).Fit(s_train);
    }

    [ClassCleanup]
    public static void Cleanup() => s_model?.Dispose();

    [TestMethod]
    public void Fit_TargetWise_ReportHoldsEveryFoldAndChoosesTheBestValidationFoldPerTarget()
    {
        var report = s_model.Report;

        Assert.AreEqual(SageFoldSelection.TargetWise, report.Selection);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, report.Folds.Select(f => f.Fold).ToArray());
        Assert.AreEqual(TrainingVideos, report.Folds.Sum(f => f.HeldOutVideos));
        Assert.AreEqual(TestData.Rows(s_train, s_ml).Sum(r => (long)r.Valence.Length), report.Folds.Sum(f => f.HeldOutFrames));
        var bestValence = report.Folds.MaxBy(f => f.Validation!.Valence)!.Fold;
        var bestArousal = report.Folds.MaxBy(f => f.Validation!.Arousal)!.Fold;
        Assert.AreEqual(bestValence, report.ValenceFold);
        Assert.AreEqual(bestArousal, report.ArousalFold);
        foreach (var fold in report.Folds)
        {
            Console.WriteLine(fold);
            Assert.AreEqual(fold.Fold == bestValence ? 1.0 : 0.0, fold.ValenceWeight, $"fold {fold.Fold} valence weight");
            Assert.AreEqual(fold.Fold == bestArousal ? 1.0 : 0.0, fold.ArousalWeight, $"fold {fold.Fold} arousal weight");
            Assert.IsTrue(fold.BestEpoch is >= 1 and <= 2 && fold.Epochs == 2, $"fold {fold.Fold} epochs {fold.BestEpoch}/{fold.Epochs}");
            Assert.IsTrue(double.IsFinite(fold.HeldOut.Mean) && fold.HeldOut.FrameCount > 0, $"fold {fold.Fold} held-out CCC");
            var kept = s_progress.Single(p => p.Fold == fold.Fold && p.Epoch.Epoch == fold.BestEpoch);
            Assert.AreEqual(kept.Epoch.Validation, fold.HeldOut, $"fold {fold.Fold}: the held-out CCC is the kept epoch's");
        }
    }

    [TestMethod]
    public void Report_ToJson_HoldsTheTableAsData()
    {
        using var json = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(s_model.Report));
        var root = json.RootElement;

        Assert.AreEqual("TargetWise", root.GetProperty("Selection").GetString());
        Assert.AreEqual(FoldCount, root.GetProperty("Folds").GetArrayLength());
        Assert.AreEqual(s_model.Report.ValenceFold, root.GetProperty("ValenceFold").GetInt32());
        var first = root.GetProperty("Folds")[0];
        Assert.AreEqual(s_model.Report.Folds[0].Validation!.Mean, first.GetProperty("Validation").GetProperty("Mean").GetDouble(), 1e-12);
        Assert.AreEqual(s_model.Report.Combined!.Arousal, root.GetProperty("Combined").GetProperty("Arousal").GetDouble(), 1e-12);
    }

    [TestMethod]
    public void Fit_TargetWise_CombinedCccEqualsTheChosenFoldsCcc()
    {
        var report = s_model.Report;
        var combined = report.Combined!;
        Console.WriteLine($"combined: {combined}");

        // The served graph computes the chosen folds' predictions (within 1e-5 per frame), so their CCCs agree closely.
        Assert.AreEqual(report.Folds[report.ValenceFold!.Value - 1].Validation!.Valence, combined.Valence, 1e-4);
        Assert.AreEqual(report.Folds[report.ArousalFold!.Value - 1].Validation!.Arousal, combined.Arousal, 1e-4);
        Assert.AreEqual(report.Folds[0].Validation!.FrameCount, combined.FrameCount);
    }

    [TestMethod]
    public void Transform_TargetWise_EqualsTheChosenFoldsNetworksWithin1e5()
    {
        var report = s_model.Report;
        var rows = TestData.Rows(s_validation, s_ml);
        var scored = Scores(s_model.Transform(s_validation));
        var valence = PredictWithFold(report.ValenceFold!.Value, rows);
        var arousal = PredictWithFold(report.ArousalFold!.Value, rows);

        for (var i = 0; i < rows.Length; i++)
        {
            AssertClose(valence[i].Valence, scored[i].PredictedValence, $"valence, video {i}");
            AssertClose(arousal[i].Arousal, scored[i].PredictedArousal, $"arousal, video {i}");
            var reliability = report.ValenceFold == report.ArousalFold
                ? valence[i].Reliability
                : [.. valence[i].Reliability.Zip(arousal[i].Reliability, (a, b) => (a + b) / 2)];
            AssertClose(reliability, scored[i].Reliability, $"reliability, video {i}");
        }
    }

    [TestMethod]
    public void SaveAndLoad_SameProcess_PredictsIdentically()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sage-cv-{Guid.NewGuid():N}.zip");
        try
        {
            s_ml.Model.Save(s_model, s_train.Schema, path);
            var loaded = SageModel.Load(new MLContext(), path, out _);
            var before = Scores(s_model.Transform(s_validation));
            var after = Scores(loaded.Transform(s_validation));
            Assert.HasCount(before.Length, after);
            for (var i = 0; i < before.Length; i++)
            {
                CollectionAssert.AreEqual(before[i].PredictedValence, after[i].PredictedValence, $"valence, video {i}");
                CollectionAssert.AreEqual(before[i].PredictedArousal, after[i].PredictedArousal, $"arousal, video {i}");
                CollectionAssert.AreEqual(before[i].Reliability, after[i].Reliability, $"reliability, video {i}");
            }
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void PredictionEngine_OneVideo_AgreesWithTransform()
    {
        var inputs = TestData.Rows(s_validation, s_ml);
        var expected = Scores(s_model.Transform(s_validation));
        using var engine = s_ml.Model.CreatePredictionEngine<TestData.VideoRow, TestData.ScoredRow>(
            s_model, new PredictionEngineOptions { OwnsTransformer = false });

        for (var i = 0; i < inputs.Length; i++)
        {
            var prediction = engine.Predict(inputs[i]);
            CollectionAssert.AreEqual(expected[i].PredictedValence, prediction.PredictedValence, $"valence, video {i}");
            CollectionAssert.AreEqual(expected[i].PredictedArousal, prediction.PredictedArousal, $"arousal, video {i}");
        }
    }

    [TestMethod]
    public void GetOutputSchema_PromisedShape_EqualsDeliveredSchema()
    {
        var estimator = s_ml.Transforms.SageCrossValidation(TestData.SmallOptions(), new SageCrossValidationOptions { ValidationData = s_validation });

        var promised = estimator.GetOutputSchema(TestData.ShapeOf(s_validation.Schema));
        var delivered = TestData.ShapeOf(s_model.Transform(s_validation).Schema);

        CollectionAssert.AreEqual(
            promised.Select(c => (c.Name, c.Kind, c.ItemType)).ToArray(),
            delivered.Select(c => (c.Name, c.Kind, c.ItemType)).ToArray());
    }

    [TestMethod]
    public void Fit_Progress_ReportsEveryEpochOfEveryFoldInOrder()
    {
        var seen = s_progress.Select(p => (p.Fold, p.Epoch.Epoch)).ToArray();

        CollectionAssert.AreEqual(new[] { (1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2) }, seen);
        Assert.IsTrue(s_progress.All(p => p.FoldCount == FoldCount && p.Epoch.Validation is not null));
    }

    [TestMethod]
    public void SaveCheckpoint_FoldOutOfRange_ThrowsNamingFold()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_model.SaveCheckpoint(FoldCount + 1, "unused.ckpt"));

        Assert.AreEqual("fold", error.ParamName);
    }

    [TestMethod]
    public void Fit_Average_WeightsEveryFoldEquallyAndScoresTheCombination()
    {
        var crossValidation = new SageCrossValidationOptions { FoldCount = 2, Selection = SageFoldSelection.Average, ValidationData = s_validation };
        var train = TestData.Videos(s_ml, 4, seed: 3, minFrames: 150, maxFrames: 250);

        using var model = s_ml.Transforms.SageCrossValidation(TestData.SmallOptions(maxEpochs: 1), crossValidation).Fit(train);

        var report = model.Report;
        Assert.IsNull(report.ValenceFold);
        Assert.IsNull(report.ArousalFold);
        Assert.IsTrue(report.Folds.All(f => f.ValenceWeight == 0.5 && f.ArousalWeight == 0.5));
        Assert.IsNotNull(report.Combined);
        Assert.AreEqual(s_ml.Regression.EvaluateCcc(model.Transform(s_validation)), report.Combined);
    }

    [TestMethod]
    public void Fit_TwoFoldsAveraged_LeavesNoTensorBeyondBuildingItsNetworks()
    {
        var crossValidation = new SageCrossValidationOptions { FoldCount = 2, Selection = SageFoldSelection.Average };
        var train = TestData.Videos(s_ml, 4, seed: 5, minFrames: 150, maxFrames: 250);
        // TorchSharp 0.107's Conv1d constructor leaves one tensor undisposed, so each network built leaves a residue.
        var before = LiveTensors();
        new SageNetwork(SageNetworkConfig.From(TestData.SmallOptions())).Dispose();
        var constructionResidue = LiveTensors() - before;
        before = LiveTensors();

        var model = s_ml.Transforms.SageCrossValidation(TestData.SmallOptions(maxEpochs: 1), crossValidation).Fit(train);
        var afterFit = LiveTensors();
        model.Dispose();

        // Two networks trained (one per fold) and two rebuilt from their checkpoints for the export, all disposed.
        Console.WriteLine($"live tensors: residue per network {constructionResidue}, before {before}, after Fit {afterFit}, after Dispose {LiveTensors()}");
        Assert.AreEqual(4 * constructionResidue, afterFit - before, "tensors left behind by a two-fold Fit");
        Assert.AreEqual(afterFit, LiveTensors(), "the fitted model holds no TorchSharp tensor");
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(0)]
    public void SageCrossValidation_FoldCountBelowTwo_ThrowsNamingFoldCount(int folds)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_ml.Transforms.SageCrossValidation(
            TestData.SmallOptions(), new SageCrossValidationOptions { FoldCount = folds, ValidationData = s_validation }));

        Assert.AreEqual("FoldCount", error.ParamName);
    }

    [TestMethod]
    public void SageCrossValidation_TargetWiseWithoutValidationData_ThrowsNamingValidationData()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            s_ml.Transforms.SageCrossValidation(TestData.SmallOptions(), new SageCrossValidationOptions()));

        Assert.AreEqual("ValidationData", error.ParamName);
        StringAssert.Contains(error.Message, "TargetWise");
    }

    [TestMethod]
    public void SageCrossValidation_SageOptionsValidationDataSet_ThrowsPointingToTheCrossValidationOption()
    {
        var options = TestData.SmallOptions();
        options.ValidationData = s_validation;

        var error = Assert.ThrowsExactly<ArgumentException>(() => s_ml.Transforms.SageCrossValidation(
            options, new SageCrossValidationOptions { ValidationData = s_validation }));

        StringAssert.Contains(error.Message, "SageCrossValidationOptions.ValidationData");
    }

    [TestMethod]
    public void Fit_FewerVideosThanFolds_ThrowsNamingFoldCountAndCounts()
    {
        var estimator = s_ml.Transforms.SageCrossValidation(TestData.SmallOptions(),
            new SageCrossValidationOptions { FoldCount = 5, ValidationData = s_validation });

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(TestData.Videos(s_ml, 3, seed: 4)));

        Assert.AreEqual("FoldCount", error.ParamName);
        StringAssert.Contains(error.Message, "3 rows form 3 groups");
    }

    /// <summary>Predicts with one fold's network, rebuilt from its checkpoint, in TorchSharp.</summary>
    private static SagePrediction[] PredictWithFold(int fold, TestData.VideoRow[] rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sage-fold-{Guid.NewGuid():N}.ckpt");
        try
        {
            s_model.SaveCheckpoint(fold, path);
            var checkpoint = SageCheckpoint.Load(path);
            using var network = new SageNetwork(checkpoint.Config);
            checkpoint.LoadInto(network);
            var predictor = new SageNetworkPredictor(network, torch.CPU);
            return [.. rows.Select(r => predictor.Predict(r.VisualFeatures, r.AudioFeatures, r.VisualFeatures.Length / TestData.VisualSize))];
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.IsLessThanOrEqualTo(1e-5f, worst, $"{what}: largest difference {worst:E2}");
    }

    /// <summary>TorchSharp's count of tensors created and not yet disposed on this thread, where training runs.</summary>
    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    private static TestData.ScoredRow[] Scores(IDataView scored) =>
        s_ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false).ToArray();

    private sealed class Recorder(List<SageFoldProgress> reports) : IProgress<SageFoldProgress>
    {
        public void Report(SageFoldProgress value) => reports.Add(value);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Tests;

/// <summary>The estimator workout: schema promises, scoring, save/load, PredictionEngine, errors.</summary>
[TestClass]
public sealed class SageEstimatorTests
{
    private static MLContext s_ml = null!;
    private static IDataView s_train = null!;
    private static IDataView s_test = null!;
    private static SageTransformer s_model = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext _)
    {
        s_ml = new MLContext(seed: 1);
        s_train = TestData.Videos(s_ml, 8, seed: 1);
        s_test = TestData.Videos(s_ml, 3, seed: 2, minFrames: 1, maxFrames: 650);
        s_model = s_ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 2)).Fit(s_train);
    }

    [ClassCleanup]
    public static void Cleanup() => s_model?.Dispose();

    [TestMethod]
    public void GetOutputSchema_PromisedShape_EqualsDeliveredSchema()
    {
        var promised = s_ml.Transforms.Sage(TestData.SmallOptions()).GetOutputSchema(TestData.ShapeOf(s_test.Schema));
        var delivered = TestData.ShapeOf(s_model.Transform(s_test).Schema);
        CollectionAssert.AreEqual(
            promised.Select(c => (c.Name, c.Kind, c.ItemType)).ToArray(),
            delivered.Select(c => (c.Name, c.Kind, c.ItemType)).ToArray());
        var reliability = promised.Single(c => c.Name == "Reliability");
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, reliability.Kind);
    }

    [TestMethod]
    public void Transform_VideosOfAnyLength_GiveOneBoundedValuePerFrame()
    {
        var inputs = TestData.Rows(s_test, s_ml);
        var scored = s_ml.Data.CreateEnumerable<TestData.ScoredRow>(s_model.Transform(s_test), reuseRowObject: false).ToArray();
        Assert.AreEqual(inputs.Length, scored.Length);
        for (var i = 0; i < inputs.Length; i++)
        {
            var frames = inputs[i].VisualFeatures.Length / TestData.VisualSize;
            Assert.AreEqual(frames, scored[i].PredictedValence.Length);
            Assert.AreEqual(frames, scored[i].PredictedArousal.Length);
            Assert.AreEqual(frames, scored[i].Reliability.Length);
            Assert.IsTrue(scored[i].PredictedValence.Concat(scored[i].PredictedArousal).All(v => v is >= -1 and <= 1));
            Assert.IsTrue(scored[i].Reliability.All(r => r > 0));
        }
    }

    [TestMethod]
    public void Transform_SingleClipVideo_ReliabilityAveragesOne()
    {
        var rows = TestData.Rows(TestData.Videos(s_ml, 1, seed: 9, minFrames: 250, maxFrames: 250), s_ml);
        var scored = s_ml.Data.CreateEnumerable<TestData.ScoredRow>(s_model.Transform(s_ml.Data.LoadFromEnumerable(rows)), false).Single();
        Assert.AreEqual(1.0, scored.Reliability.Average(), 1e-4);      // α·N with Σα = 1 over the clip
    }

    [TestMethod]
    public void SaveAndLoad_SameProcess_PredictsIdentically()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sage-{Guid.NewGuid():N}.zip");
        try
        {
            s_ml.Model.Save(s_model, s_train.Schema, path);
            var loaded = SageModel.Load(new MLContext(), path, out var schema);
            Assert.IsNotNull(schema.GetColumnOrNull("VisualFeatures"));
            var before = Scores(s_model.Transform(s_test));
            var after = Scores(loaded.Transform(s_test));
            Assert.AreEqual(before.Length, after.Length);
            for (var i = 0; i < before.Length; i++)
            {
                CollectionAssert.AreEqual(before[i].PredictedValence, after[i].PredictedValence);
                CollectionAssert.AreEqual(before[i].PredictedArousal, after[i].PredictedArousal);
                CollectionAssert.AreEqual(before[i].Reliability, after[i].Reliability);
            }
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Sage_OptionsChangedAfterTheCall_EstimatorKeepsTheValidatedCopy()
    {
        var epochs = new List<SageTrainingProgress>();
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.Progress = new Collect(epochs);
        var estimator = s_ml.Transforms.Sage(options);
        options.MaxEpochs = 0;                      // each would fail validation in the catalog call
        options.PredictedValenceColumnName = "PredictedArousal";
        options.VisualFeaturesColumnName = "";

        var shape = estimator.GetOutputSchema(TestData.ShapeOf(s_test.Schema));
        using var model = estimator.Fit(TestData.Videos(s_ml, 2, seed: 5, minFrames: 20, maxFrames: 40));

        Assert.AreEqual(1, shape.Count(c => c.Name == "PredictedValence"));
        Assert.AreEqual(1, shape.Count(c => c.Name == "PredictedArousal"));
        Assert.AreEqual(1, epochs.Count, "trained the one epoch it was validated with");
        Assert.IsNotNull(model.Transform(s_test).Schema.GetColumnOrNull("PredictedValence"));
    }

    [TestMethod]
    public void PredictionEngine_OneVideo_AgreesWithTransform()
    {
        var inputs = TestData.Rows(s_test, s_ml);
        var expected = Scores(s_model.Transform(s_test));
        using var engine = s_ml.Model.CreatePredictionEngine<TestData.VideoRow, TestData.ScoredRow>(
            s_model, new PredictionEngineOptions { OwnsTransformer = false });
        for (var i = 0; i < inputs.Length; i++)
        {
            var prediction = engine.Predict(inputs[i]);
            CollectionAssert.AreEqual(expected[i].PredictedValence, prediction.PredictedValence);
            CollectionAssert.AreEqual(expected[i].Reliability, prediction.Reliability);
        }
    }

    [TestMethod]
    public void EvaluateCcc_ScoredVideos_CountsOnlyAnnotatedFrames()
    {
        var inputs = TestData.Rows(s_test, s_ml);
        var annotated = inputs.Sum(r => r.Valence.Zip(r.Arousal).Count(p => SageLabels.IsAnnotated(p.First, p.Second)));
        var metrics = s_ml.Regression.EvaluateCcc(s_model.Transform(s_test));
        Assert.AreEqual(annotated, metrics.FrameCount);
        Assert.IsTrue(metrics.FrameCount < inputs.Sum(r => r.Valence.Length) || inputs.All(r => !r.Valence.Contains(-5f)));
        Assert.AreEqual((metrics.Valence + metrics.Arousal) / 2, metrics.Mean, 1e-12);
    }

    [TestMethod]
    public void SaveCheckpoint_ThenFineTuneFromIt_StartsFromTheSavedWeights()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sage-{Guid.NewGuid():N}.ckpt");
        try
        {
            s_model.SaveCheckpoint(path);
            // A learning rate too small to move the weights: the fine-tuned model must predict like the saved one.
            var options = TestData.SmallOptions(maxEpochs: 1);
            options.InitialCheckpoint = path;
            options.LearningRate = 1e-12;
            options.WeightDecay = 0;
            using var tuned = s_ml.Transforms.Sage(options).Fit(s_train);
            var before = Scores(s_model.Transform(s_test));
            var after = Scores(tuned.Transform(s_test));
            for (var i = 0; i < before.Length; i++)
            {
                for (var t = 0; t < before[i].PredictedValence.Length; t++)
                {
                    Assert.AreEqual(before[i].PredictedValence[t], after[i].PredictedValence[t], 1e-5);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static TestData.ScoredRow[] Scores(IDataView scored) =>
        s_ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false).ToArray();

    /// <summary>Collects progress reports synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
    private sealed class Collect(List<SageTrainingProgress> reports) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value) => reports.Add(value);
    }
}

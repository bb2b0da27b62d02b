using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Modeling;
using TorchSharp;

namespace Sage.MLNet.Tests.Training;

/// <summary>
/// The training loop through the public API, <c>mlContext.Transforms.Sage(options).Fit(data)</c>: seeding,
/// progress reports, early stopping, cancellation, learning, and TorchSharp memory.
/// </summary>
[TestClass]
public sealed class SageTrainerTests
{
    [TestMethod]
    public void Fit_SameSeedTwice_IdenticalPredictions()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = (ShortVideos(ml, 4, seed: 1), ShortVideos(ml, 2, seed: 2));

        using var first = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 2)).Fit(train);
        using var second = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 2)).Fit(train);

        var a = Scores(ml, first.Transform(test));
        var b = Scores(ml, second.Transform(test));
        for (var i = 0; i < a.Length; i++)
        {
            CollectionAssert.AreEqual(a[i].PredictedValence, b[i].PredictedValence, $"valence, video {i}");
            CollectionAssert.AreEqual(a[i].PredictedArousal, b[i].PredictedArousal, $"arousal, video {i}");
            CollectionAssert.AreEqual(a[i].Reliability, b[i].Reliability, $"reliability, video {i}");
        }
    }

    [TestMethod]
    public void Fit_DifferentSeed_DifferentPredictions()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = (ShortVideos(ml, 4, seed: 1), ShortVideos(ml, 2, seed: 2));
        var otherSeed = TestData.SmallOptions(maxEpochs: 2);
        otherSeed.Seed++;

        using var first = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 2)).Fit(train);
        using var second = ml.Transforms.Sage(otherSeed).Fit(train);

        var a = Scores(ml, first.Transform(test)).SelectMany(r => r.PredictedValence).ToArray();
        var b = Scores(ml, second.Transform(test)).SelectMany(r => r.PredictedValence).ToArray();
        Assert.HasCount(a.Length, b);
        var largest = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        Assert.IsGreaterThan(1e-3f, largest, $"largest difference between seeds {largest:E2}");
    }

    [TestMethod]
    public void Fit_WithValidationData_ReportsEveryEpochWithValidationOverAnnotatedFrames()
    {
        var ml = new MLContext(seed: 1);
        var validation = ShortVideos(ml, 2, seed: 2);
        var progress = new RecordingProgress();
        var options = TestData.SmallOptions(maxEpochs: 3);
        options.ValidationData = validation;
        options.EarlyStoppingPatience = 0;
        options.Progress = progress;

        using var model = ml.Transforms.Sage(options).Fit(ShortVideos(ml, 4, seed: 1));

        var annotated = TestData.Rows(validation, ml).Sum(r => r.Valence.Zip(r.Arousal).Count(p => SageLabels.IsAnnotated(p.First, p.Second)));
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, progress.Reports.Select(r => r.Epoch).ToArray());
        foreach (var report in progress.Reports)
        {
            Console.WriteLine(report);
            Assert.AreEqual(3, report.MaxEpochs);
            Assert.IsTrue(double.IsFinite(report.TrainingLoss) && report.TrainingLoss is >= 0 and <= 2, $"epoch {report.Epoch} loss {report.TrainingLoss}");
            Assert.IsGreaterThan(0.0, report.FramesPerSecond, $"epoch {report.Epoch} throughput");
            Assert.IsNotNull(report.Validation, $"epoch {report.Epoch} validation");
            Assert.AreEqual(annotated, report.Validation.FrameCount, $"epoch {report.Epoch} validation frames");
            Assert.IsTrue(double.IsFinite(report.Validation.Mean), $"epoch {report.Epoch} validation CCC");
        }
        Assert.IsTrue(progress.Reports[0].IsBest, "the first epoch is always the best so far");
        CollectionAssert.AreEqual(progress.Reports.Select(r => r.Elapsed).Order().ToArray(), progress.Reports.Select(r => r.Elapsed).ToArray(), "elapsed time grows");
    }

    [TestMethod]
    public void Fit_NoValidationData_ReportsEveryEpochWithoutValidation()
    {
        var ml = new MLContext(seed: 1);
        var progress = new RecordingProgress();
        var options = TestData.SmallOptions(maxEpochs: 2);
        options.Progress = progress;

        using var model = ml.Transforms.Sage(options).Fit(ShortVideos(ml, 3, seed: 1));

        CollectionAssert.AreEqual(new[] { 1, 2 }, progress.Reports.Select(r => r.Epoch).ToArray());
        Assert.IsTrue(progress.Reports.All(r => r.Validation is null && r.IsBest && double.IsFinite(r.TrainingLoss) && r.FramesPerSecond > 0));
    }

    [TestMethod]
    public void Fit_PatienceOneAndNoImprovementAfterFirstEpoch_StopsAfterTwoEpochs()
    {
        var ml = new MLContext(seed: 1);
        var progress = new RecordingProgress();
        var options = TestData.SmallOptions(maxEpochs: 10);
        options.ValidationData = ShortVideos(ml, 2, seed: 2);
        options.EarlyStoppingPatience = 1;
        // Too small a step to change any prediction: epoch 1 is best (it beats no score at all), epoch 2 only
        // ties it, which is no improvement, and patience 1 ends training there.
        options.LearningRate = 1e-12;
        options.WeightDecay = 0;
        options.Progress = progress;

        using var model = ml.Transforms.Sage(options).Fit(ShortVideos(ml, 3, seed: 1));

        Assert.HasCount(2, progress.Reports);
        Assert.IsTrue(progress.Reports[0].IsBest);
        Assert.IsFalse(progress.Reports[1].IsBest);
        Assert.AreEqual(progress.Reports[0].Validation!.Mean, progress.Reports[1].Validation!.Mean, 1e-6);
    }

    [TestMethod]
    public void Fit_CancelledDuringFirstProgressReport_ThrowsOperationCanceled()
    {
        var ml = new MLContext(seed: 1);
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(_ => cancellation.Cancel());
        var options = TestData.SmallOptions(maxEpochs: 3);
        options.Progress = progress;
        options.CancellationToken = cancellation.Token;
        var estimator = ml.Transforms.Sage(options);
        var train = ShortVideos(ml, 3, seed: 1);

        Assert.ThrowsExactly<OperationCanceledException>(() => estimator.Fit(train));

        Assert.HasCount(1, progress.Reports, "training stops in the epoch after the cancellation");
    }

    [TestMethod]
    public void Fit_SyntheticVideos_HeldOutCccWellAboveChance()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.Videos(ml, 24, seed: 3);
        var test = TestData.Videos(ml, 6, seed: 4);
        var options = TestData.SmallOptions(maxEpochs: 12);
        options.LearningRate = 3e-3;
        options.Seed = 1;
        var clock = Stopwatch.StartNew();

        using var model = ml.Transforms.Sage(options).Fit(train);
        var metrics = ml.Regression.EvaluateCcc(model.Transform(test));

        Console.WriteLine($"Held-out {metrics} after {options.MaxEpochs} epochs in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.IsGreaterThan(0.5, metrics.Mean, $"held-out mean CCC {metrics.Mean:F4}");
    }

    [TestMethod]
    public void Fit_OneThenFourEpochs_LiveTensorCountDoesNotGrow()
    {
        var ml = new MLContext(seed: 1);
        var train = ShortVideos(ml, 3, seed: 1);
        var validation = ShortVideos(ml, 2, seed: 2);
        SageOptions Options(int epochs, RecordingProgress progress)
        {
            var options = TestData.SmallOptions(epochs);
            options.ValidationData = validation;      // keeps the best epoch's weights: a copy per better epoch
            options.EarlyStoppingPatience = 0;
            options.LearningRate = 1e-2;               // large steps, so validation scores move every epoch
            options.Progress = progress;
            return options;
        }
        // TorchSharp 0.107's Conv1d constructor leaves one tensor undisposed (nn.Linear and nn.LayerNorm none), so
        // building and disposing a network is the floor for what a Fit can leave behind.
        var before = LiveTensors();
        new SageNetwork(SageNetworkConfig.From(TestData.SmallOptions())).Dispose();
        var constructionResidue = LiveTensors() - before;
        before = LiveTensors();

        var model = ml.Transforms.Sage(Options(1, new RecordingProgress())).Fit(train);
        var afterOneEpoch = LiveTensors();
        model.Dispose();
        var afterOneEpochDisposed = LiveTensors();

        var fourEpochs = new RecordingProgress();
        model = ml.Transforms.Sage(Options(4, fourEpochs)).Fit(train);
        var afterFourEpochs = LiveTensors();
        model.Dispose();
        var afterFourEpochsDisposed = LiveTensors();

        Console.WriteLine($"live tensors: left by building a network {constructionResidue}; before {before}; after 1 epoch {afterOneEpoch} (disposed {afterOneEpochDisposed}); " +
            $"after 4 epochs {afterFourEpochs} (disposed {afterFourEpochsDisposed}); " +
            $"at each epoch's report {string.Join(", ", fourEpochs.LiveTensors)}; best epochs {string.Join(", ", fourEpochs.Reports.Select(r => r.IsBest))}");
        var leftByOneEpoch = afterOneEpoch - before;
        var leftByFourEpochs = afterFourEpochs - afterOneEpochDisposed;
        Assert.AreEqual(leftByOneEpoch, leftByFourEpochs, "tensors left behind by a Fit of 1 and of 4 epochs");
        Assert.AreEqual(constructionResidue, leftByOneEpoch, "Fit leaves nothing behind beyond what building its network does");
        Assert.AreEqual(afterOneEpoch, afterOneEpochDisposed, "the fitted model holds no TorchSharp tensor");
        Assert.AreEqual(afterFourEpochs, afterFourEpochsDisposed, "the fitted model holds no TorchSharp tensor");
        Assert.IsTrue(fourEpochs.LiveTensors.All(n => n == fourEpochs.LiveTensors[0]), $"per epoch: {string.Join(", ", fourEpochs.LiveTensors)}");
        Assert.IsTrue(fourEpochs.Reports.Skip(1).Any(r => r.IsBest), "a later epoch improved, so the kept weights were replaced");
    }

    [TestMethod]
    public void Predict_TwentyTimes_LiveTensorCountDoesNotGrow()
    {
        var options = TestData.SmallOptions();
        torch.manual_seed(3);
        using var network = new SageNetwork(SageNetworkConfig.From(options));
        var predictor = new SageNetworkPredictor(network, torch.CPU, clipsPerBatch: 2);
        const int frames = 1234;      // seven clips: several batches, a partial one and overlapping clips
        var random = new Random(1);
        var visual = Enumerable.Range(0, frames * TestData.VisualSize).Select(_ => random.NextSingle()).ToArray();
        var audio = Enumerable.Range(0, frames * TestData.AudioSize).Select(_ => random.NextSingle()).ToArray();
        var before = LiveTensors();

        var first = predictor.Predict(visual, audio, frames);
        var afterFirst = LiveTensors();
        for (var i = 1; i < 19; i++)
        {
            predictor.Predict(visual, audio, frames);
        }
        var last = predictor.Predict(visual, audio, frames);
        var afterTwentieth = LiveTensors();

        Console.WriteLine($"live tensors: before {before}, after the 1st prediction {afterFirst}, after the 20th {afterTwentieth}");
        Assert.AreEqual(afterFirst, afterTwentieth);
        Assert.AreEqual(before, afterFirst, "a prediction leaves no tensor behind");
        CollectionAssert.AreEqual(first.Valence, last.Valence, "the same video predicts the same");
    }

    /// <summary>A few short videos (one or two clips each), so that a fit of a small network takes about a second.</summary>
    private static IDataView ShortVideos(MLContext ml, int count, int seed) => TestData.Videos(ml, count, seed, minFrames: 150, maxFrames: 400);

    private static TestData.ScoredRow[] Scores(MLContext ml, IDataView scored) =>
        ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false).ToArray();

    /// <summary>TorchSharp's count of tensors created and not yet disposed on this thread, where training runs.</summary>
    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>
    /// Records reports on the training thread as they come. <see cref="Progress{T}"/> would post them to the
    /// thread pool, so they could arrive late, out of order, or after Fit returns.
    /// </summary>
    private sealed class RecordingProgress(Action<SageTrainingProgress>? onReport = null) : IProgress<SageTrainingProgress>
    {
        public List<SageTrainingProgress> Reports { get; } = [];

        /// <summary>The live tensor count when each report came.</summary>
        public List<long> LiveTensors { get; } = [];

        public void Report(SageTrainingProgress value)
        {
            Reports.Add(value);
            LiveTensors.Add(SageTrainerTests.LiveTensors());
            onReport?.Invoke(value);
        }
    }
}

using Sage.MLNet.Evaluation;

namespace Sage.MLNet.Tests.Evaluation;

[TestClass]
public sealed class CccEvaluatorTests
{
    [TestMethod]
    public void AddVideo_FramesLabelledMinusFive_AreLeftOut()
    {
        var evaluator = new CccEvaluator();
        // The −5 frames carry wild predictions; if they counted, CCC would fall far below 1.
        float[] valence = [0.1f, -5f, 0.5f, 0.3f, -0.2f];
        float[] arousal = [0.2f, -5f, -0.1f, -5f, 0.4f];
        float[] predictedValence = [0.1f, 9f, 0.5f, -9f, -0.2f];
        float[] predictedArousal = [0.2f, 9f, -0.1f, -9f, 0.4f];
        evaluator.AddVideo(predictedValence, predictedArousal, valence, arousal);
        var result = evaluator.Result;
        Assert.AreEqual(3, result.FrameCount);
        Assert.AreEqual(1.0, result.Valence, 1e-6);
        Assert.AreEqual(1.0, result.Arousal, 1e-6);
        Assert.AreEqual(1.0, result.Mean, 1e-6);
    }

    [TestMethod]
    public void Result_TwoVideos_IsOneCccOverAllFramesNotAMeanOfVideos()
    {
        // Each video alone is predicted perfectly up to an offset that differs between videos; over all
        // frames together the offsets are errors, so the global CCC is below the per-video average.
        var evaluator = new CccEvaluator();
        float[] truth1 = [0.1f, 0.2f, 0.3f], truth2 = [-0.1f, -0.2f, -0.3f];
        evaluator.AddVideo(truth1, truth1, truth1, truth1);
        evaluator.AddVideo([0.4f, 0.3f, 0.2f], [0.4f, 0.3f, 0.2f], truth2, truth2);
        var pooled = new Concordance();
        foreach (var (p, t) in new[] { 0.1, 0.2, 0.3, 0.4, 0.3, 0.2 }.Zip(new[] { 0.1, 0.2, 0.3, -0.1, -0.2, -0.3 }))
        {
            pooled.Add(p, t);
        }
        Assert.AreEqual(6, evaluator.Result.FrameCount);
        Assert.AreEqual(pooled.Value, evaluator.Result.Valence, 1e-6);
        Assert.IsTrue(evaluator.Result.Valence < 0.5);
    }
}

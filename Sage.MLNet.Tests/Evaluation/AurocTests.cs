using Sage.MLNet.Evaluation.Robustness;

namespace Sage.MLNet.Tests.Evaluation;

[TestClass]
public sealed class AurocTests
{
    [TestMethod]
    public void OfLowWeight_CorruptedFramesAllLighter_IsOne()
    {
        Assert.AreEqual(1.0, Auroc.OfLowWeight([0.1f, 0.2f, 0.9f, 1.3f], [true, true, false, false]));
        Assert.AreEqual(0.0, Auroc.OfLowWeight([0.1f, 0.2f, 0.9f, 1.3f], [false, false, true, true]));
    }

    [TestMethod]
    public void OfLowWeight_HandCaseWithATie_CountsPairsAndHalfTies()
    {
        // Corrupted {0.5, 1.0}, clean {0.8, 1.0, 2.0}: pairs lighter 0.5<0.8, 0.5<1.0, 0.5<2.0, 1.0<2.0 = 4, tie 1.0=1.0 = 0.5; of 6.
        var auroc = Auroc.OfLowWeight([0.5f, 0.8f, 1.0f, 1.0f, 2.0f], [true, false, true, false, false]);

        Assert.AreEqual(4.5 / 6, auroc!.Value, 1e-12);
    }

    [TestMethod]
    public void OfLowWeight_ConstantWeightOrOneClass_IsHalfOrNull()
    {
        Assert.AreEqual(0.5, Auroc.OfLowWeight([1f, 1f, 1f], [true, false, false]));
        Assert.IsNull(Auroc.OfLowWeight([1f, 2f], [false, false]));
        Assert.IsNull(Auroc.OfLowWeight([1f, 2f], [true, true]));
    }

    [TestMethod]
    public void Of_ThreeSeeds_MeanAndSampleDeviation()
    {
        var spread = SageMeanAndDeviation.Of([0.2, 0.4, 0.6]);

        Assert.AreEqual(0.4, spread.Mean, 1e-12);
        Assert.AreEqual(0.2, spread.StandardDeviation, 1e-12);
        Assert.AreEqual(0.0, SageMeanAndDeviation.Of([0.7]).StandardDeviation);
        Assert.AreEqual("0.400 ± 0.200", spread.ToString());
    }
}

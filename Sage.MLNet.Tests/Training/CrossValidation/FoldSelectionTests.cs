using Sage.MLNet.Training.CrossValidation;

namespace Sage.MLNet.Tests.Training.CrossValidation;

/// <summary>Target-wise fold selection and averaging, as a pure function of the folds' validation CCCs.</summary>
[TestClass]
public sealed class FoldSelectionTests
{
    [TestMethod]
    public void Choose_TargetWise_PicksTheBestFoldPerTarget()
    {
        CccMetrics?[] validation = [new(0.30, 0.50, 100), new(0.60, 0.20, 100), new(0.40, 0.70, 100)];

        var weights = FoldSelection.Choose(SageFoldSelection.TargetWise, validation);

        Assert.AreEqual(1, weights.ValenceFold);
        Assert.AreEqual(2, weights.ArousalFold);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 0f }, weights.Valence);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 1f }, weights.Arousal);
    }

    [TestMethod]
    public void Choose_TargetWiseOneFoldBestAtBoth_PicksItForBoth()
    {
        CccMetrics?[] validation = [new(0.30, 0.50, 100), new(0.60, 0.80, 100)];

        var weights = FoldSelection.Choose(SageFoldSelection.TargetWise, validation);

        Assert.AreEqual(1, weights.ValenceFold);
        Assert.AreEqual(1, weights.ArousalFold);
    }

    [TestMethod]
    public void Choose_TargetWiseTieAndNaN_PicksTheFirstBestAndSkipsNaN()
    {
        CccMetrics?[] validation = [new(double.NaN, 0.50, 100), new(0.60, 0.50, 100), new(0.60, double.NaN, 100)];

        var weights = FoldSelection.Choose(SageFoldSelection.TargetWise, validation);

        Assert.AreEqual(1, weights.ValenceFold);
        Assert.AreEqual(0, weights.ArousalFold);
    }

    [TestMethod]
    public void Choose_Average_WeightsEveryFoldOneOverK()
    {
        var weights = FoldSelection.Choose(SageFoldSelection.Average, [null, null, null, null]);

        Assert.IsNull(weights.ValenceFold);
        Assert.IsNull(weights.ArousalFold);
        CollectionAssert.AreEqual(new[] { 0.25f, 0.25f, 0.25f, 0.25f }, weights.Valence);
        CollectionAssert.AreEqual(new[] { 0.25f, 0.25f, 0.25f, 0.25f }, weights.Arousal);
    }

    [TestMethod]
    public void Choose_TargetWiseFoldWithoutValidation_ThrowsNamingFold()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            FoldSelection.Choose(SageFoldSelection.TargetWise, [new CccMetrics(0.1, 0.1, 10), null]));

        StringAssert.Contains(error.Message, "fold 2");
    }
}

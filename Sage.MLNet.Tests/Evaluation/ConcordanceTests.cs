using Sage.MLNet.Evaluation;

namespace Sage.MLNet.Tests.Evaluation;

[TestClass]
public sealed class ConcordanceTests
{
    // Zero mean, so the negated copy has the same mean and CCC reaches exactly −1.
    private static readonly double[] s_truth = [0.1, -0.4, 0.5, 0.9, -0.2, 0.3, -0.7, -0.5];

    private static double Ccc(IEnumerable<double> prediction, IEnumerable<double> truth)
    {
        var concordance = new Concordance();
        foreach (var (p, t) in prediction.Zip(truth))
        {
            concordance.Add(p, t);
        }
        return concordance.Value;
    }

    [TestMethod]
    public void Value_IdenticalSeries_IsOne() => Assert.AreEqual(1.0, Ccc(s_truth, s_truth), 1e-12);

    [TestMethod]
    public void Value_NegatedSeries_IsMinusOne() => Assert.AreEqual(-1.0, Ccc(s_truth.Select(x => -x), s_truth), 1e-12);

    [TestMethod]
    public void Value_ConstantPrediction_IsZero() => Assert.AreEqual(0.0, Ccc(s_truth.Select(_ => 0.25), s_truth), 1e-12);

    [TestMethod]
    public void Value_ShiftedCopy_IsBelowPearsonOfOne()
    {
        // Pearson correlation of a shifted copy is 1; CCC penalises the (mean gap)² = 0.25 in the denominator.
        var mean = s_truth.Average();
        var variance = s_truth.Sum(x => (x - mean) * (x - mean)) / s_truth.Length;
        var expected = 2 * variance / (2 * variance + 0.25);
        Assert.AreEqual(expected, Ccc(s_truth.Select(x => x + 0.5), s_truth), 1e-12);
        Assert.IsTrue(expected < 1);
    }

    [TestMethod]
    public void Value_HandComputedSeries_MatchesPopulationFormula()
    {
        // x = [1, 2, 3], y = [1, 3, 2]: means 2 and 2, var 2/3 each, cov = (1·1 + 0 + 1·0)/3... computed by hand:
        // deviations x: -1, 0, 1; y: -1, 1, 0; cov = (1 + 0 + 0)/3 = 1/3; CCC = 2·(1/3) / (2/3 + 2/3) = 0.5.
        Assert.AreEqual(0.5, Ccc([1, 2, 3], [1, 3, 2]), 1e-12);
    }

    [TestMethod]
    public void Value_NoData_IsZero() => Assert.AreEqual(0.0, new Concordance().Value);
}

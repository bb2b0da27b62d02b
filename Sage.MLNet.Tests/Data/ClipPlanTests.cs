using Sage.MLNet.Data;

namespace Sage.MLNet.Tests.Data;

[TestClass]
public sealed class ClipPlanTests
{
    [TestMethod]
    [DataRow(1, new[] { 0 })]
    [DataRow(299, new[] { 0 })]
    [DataRow(300, new[] { 0 })]
    [DataRow(301, new[] { 0, 1 })]
    [DataRow(500, new[] { 0, 200 })]
    [DataRow(501, new[] { 0, 200, 201 })]
    [DataRow(1234, new[] { 0, 200, 400, 600, 800, 934 })]
    public void Starts_PaperWindows_CoverEveryFrameWithoutRepeats(int frames, int[] expected)
    {
        var starts = ClipPlan.Starts(frames, 300, 200);
        CollectionAssert.AreEqual(expected, starts);
        var covered = new bool[frames];
        foreach (var start in starts)
        {
            for (var t = start; t < Math.Min(frames, start + 300); t++)
            {
                covered[t] = true;
            }
        }
        Assert.IsTrue(covered.All(c => c));
    }
}

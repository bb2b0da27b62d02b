using Sage.MLNet.Training;
using static TorchSharp.torch;

namespace Sage.MLNet.Tests.Training;

/// <summary><see cref="HostTensor"/>: the reusable tensor a batch is copied into at each training step.</summary>
[TestClass]
[DoNotParallelize]
public sealed class BatchTensorsTests
{
    [TestMethod]
    public void Fill_FullThenPartialBatch_ReturnsTheFilledClipsOnly()
    {
        using var scope = NewDisposeScope();
        using var host = new HostTensor([3, 2, 2]);        // 3 clips of 2 frames × 2 values
        var first = Enumerable.Range(1, 12).Select(i => (float)i).ToArray();
        var second = Enumerable.Range(101, 12).Select(i => (float)i).ToArray();

        var full = host.Fill(first, 3, CPU);
        CollectionAssert.AreEqual(new long[] { 3, 2, 2 }, full.shape);
        CollectionAssert.AreEqual(first, full.data<float>().ToArray());

        var partial = host.Fill(second, 2, CPU);

        CollectionAssert.AreEqual(new long[] { 2, 2, 2 }, partial.shape);
        CollectionAssert.AreEqual(second[..8], partial.data<float>().ToArray(), "only the first two clips of the array");
        CollectionAssert.AreEqual(new float[] { 101, 102, 103, 104, 105, 106, 107, 108, 9, 10, 11, 12 }, full.data<float>().ToArray(),
            "the same memory: the third clip keeps the previous step's values, which the partial view never shows");
    }
}

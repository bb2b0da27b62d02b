using Sage.MLNet.Modeling;
using Sage.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Tests.Training;

/// <summary>A training step's loss and gradients computed whole against the batch split in two halves run on two threads.</summary>
[TestClass]
[DoNotParallelize]
public sealed class BatchGradientsTests
{
    private const int VisualSize = 6;
    private const int AudioSize = 5;
    private const int Time = 300;

    [TestMethod]
    public void Accumulate_SplitInTwoHalves_SameLossAndGradientsAsWhole()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        network.eval();                 // no dropout: both ways compute the same function
        // Three clips (halves of one and two), one padded; the loss is one CCC over all of them.
        var batch = Batch([300, 300, 170], seed: 3);

        var (wholeLoss, whole) = Gradients(network, batch, split: false, seed: 1);
        var (splitLoss, split) = Gradients(network, batch, split: true, seed: 1);

        Assert.AreEqual(wholeLoss, splitLoss, 1e-6, "loss");
        Assert.HasCount(whole.Length, split);
        for (var i = 0; i < whole.Length; i++)
        {
            var scale = 1 + whole[i].abs().max().item<float>();
            var worst = (split[i] - whole[i]).abs().max().item<float>();
            Assert.IsLessThanOrEqualTo(1e-5 * scale, worst, $"gradient {i}: largest difference {worst:E2}");
        }
        Assert.IsGreaterThan(0f, whole[0].abs().max().item<float>(), "the first TCN weight has a gradient");
    }

    [TestMethod]
    public void Accumulate_SplitTenTimes_LeavesNoTensorOnAnyThread()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        network.train();
        var batch = Batch([300, 300, 300], seed: 4);
        using var halves = new PartThreads(2, intraOpThreads: 1);
        using var gradients = new BatchGradients(network, halves, seed: 1);
        gradients.Accumulate(batch[0], batch[1], batch[2], batch[3], batch[4]);     // makes the parameters' gradients

        // Tensor.TotalCount counts live tensors of every thread, the half run on the second thread included.
        var before = Tensor.TotalCount;
        for (var i = 0; i < 10; i++)
        {
            gradients.Accumulate(batch[0], batch[1], batch[2], batch[3], batch[4]);
        }

        Assert.AreEqual(before, Tensor.TotalCount, "live tensors after ten split steps");
    }

    [TestMethod]
    public void Accumulate_SplitTrainingWithDropout_SameSeedSameGradientsOtherSeedOthers()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        network.train();
        var batch = Batch([300, 300, 300, 300], seed: 5);

        var (firstLoss, first) = Gradients(network, batch, split: true, seed: 11);
        var (secondLoss, second) = Gradients(network, batch, split: true, seed: 11);
        var (otherLoss, other) = Gradients(network, batch, split: true, seed: 12);

        // The halves draw their dropout masks from generators of their own: the threads' timing does not matter.
        Assert.AreEqual(firstLoss, secondLoss, "same seed, same loss, to the bit");
        for (var i = 0; i < first.Length; i++)
        {
            Assert.IsTrue(first[i].eq(second[i]).all().item<bool>(), $"gradient {i} differs between two runs with the same seed");
        }
        Assert.AreNotEqual(firstLoss, otherLoss, "another seed draws other dropout masks");
        Assert.IsTrue(first.Zip(other).Any(pair => !pair.First.eq(pair.Second).all().item<bool>()), "another seed gives other gradients");
    }

    private static (float Loss, Tensor[] Gradients) Gradients(SageNetwork network, Tensor[] batch, bool split, int seed)
    {
        foreach (var parameter in network.parameters())
        {
            parameter.grad?.zero_();
        }
        using var halves = split ? new PartThreads(2, intraOpThreads: 1) : null;
        using var gradients = new BatchGradients(network, halves, seed);
        Assert.AreEqual(split, gradients.IsSplit);
        var loss = gradients.Accumulate(batch[0], batch[1], batch[2], batch[3], batch[4]);
        return (loss, network.parameters().Select(p => p.grad!.clone()).ToArray());
    }

    private static SageNetwork CreateNetwork()
    {
        manual_seed(20240611);
        return new SageNetwork(TestData.TinyNetworkConfig(VisualSize, AudioSize) with { TcnChannels = 4, TransformerLayers = 1 });
    }

    /// <summary>Visual, audio, frame mask, labels and label mask for clips with the given real frames, padded to <see cref="Time"/>.</summary>
    private static Tensor[] Batch(int[] realFrames, int seed)
    {
        var generator = new Generator((ulong)seed, CPU);
        var clips = realFrames.Length;
        var frameMask = zeros(clips, Time);
        for (var b = 0; b < clips; b++)
        {
            frameMask[b, ..realFrames[b]] = 1;
        }
        var visual = rand([clips, Time, VisualSize], generator: generator).mul(frameMask.unsqueeze(-1));
        var audio = rand([clips, Time, AudioSize], generator: generator).mul(frameMask.unsqueeze(-1));
        var labels = rand([clips, Time, 2], generator: generator) * 2 - 1;
        // Some real frames unannotated (every seventh), as −5 labels are.
        var labelMask = frameMask * arange(Time).remainder(7).ne(0).to_type(ScalarType.Float32);
        return [visual, audio, frameMask, labels, labelMask];
    }
}

using Sage.MLNet.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Tests.Modeling;

/// <summary>The whole SAGE network on random weights: shapes, output range, padding, and the state-dict layout.</summary>
[TestClass]
public sealed class SageNetworkTests
{
    private const int VisualSize = 6;
    private const int AudioSize = 5;
    private const int WindowLength = 300;

    [TestMethod]
    public void Forward_PaddedBatch_ReturnsPredictionPerFrameAndWeightsPerFrameAndModality()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        var (visual, audio, mask) = Batch([300, 57, 1], time: 300, seed: 1);

        var (prediction, alpha) = network.call(visual, audio, mask);

        CollectionAssert.AreEqual(new long[] { 3, 300, 2 }, prediction.shape);
        CollectionAssert.AreEqual(new long[] { 3, 300, 2 }, alpha.shape);
        Assert.AreEqual(ScalarType.Float32, prediction.dtype);
    }

    [TestMethod]
    public void Forward_ClipShorterThanWindow_ReturnsShapesOfThatLength()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        var (visual, audio, mask) = Batch([40, 25], time: 40, seed: 2);

        var (prediction, alpha) = network.call(visual, audio, mask);

        CollectionAssert.AreEqual(new long[] { 2, 40, 2 }, prediction.shape);
        CollectionAssert.AreEqual(new long[] { 2, 40, 2 }, alpha.shape);
    }

    [TestMethod]
    public void Forward_LargeInputs_PredictionsStayWithinMinusOneToOne()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        var (visual, audio, mask) = Batch([300, 300, 120], time: 300, seed: 3);

        // Features far outside the training range push the head into tanh's saturated tails.
        var (prediction, _) = network.call(visual * 50, audio * 50, mask);

        var values = prediction.data<float>().ToArray();
        Assert.IsTrue(values.All(v => v is >= -1f and <= 1f), $"range [{values.Min()}, {values.Max()}]");
        Assert.IsTrue(values.Any(v => Math.Abs(v) > 0.5f), "large inputs give some large outputs, so the bound is exercised");
    }

    [TestMethod]
    public void Forward_VideoPaddedTo300Or200_SameOutputsOnItsRealFrames()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        const int frames = 120;
        var (visual300, audio300, mask300) = Batch([frames], time: 300, seed: 4);
        var (visual200, audio200, mask200) = Batch([frames], time: 200, seed: 4);

        var (prediction300, alpha300) = network.call(visual300, audio300, mask300);
        var (prediction200, alpha200) = network.call(visual200, audio200, mask200);

        AssertClose(prediction200.narrow(1, 0, frames), prediction300.narrow(1, 0, frames), 1e-5, "prediction");
        // Weights are α·N with N the real frames, so a clip padded further keeps them.
        AssertClose(alpha200.narrow(1, 0, frames), alpha300.narrow(1, 0, frames), 1e-5, "weights");
        Assert.AreEqual(0f, alpha300.narrow(1, frames, 300 - frames).abs().max().item<float>(), "weights on padding");
    }

    [TestMethod]
    public void Forward_GarbageInPadding_SameOutputsOnRealFramesAsZeroPadding()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        const int frames = 120;
        var (visual, audio, mask) = Batch([frames], time: 300, seed: 5);
        var padding = (1 - mask).unsqueeze(-1);       // [1, 300, 1], 1 on padded steps
        var noisyVisual = visual + padding * randn(1, 300, VisualSize) * 10;
        var noisyAudio = audio + padding * randn(1, 300, AudioSize) * 10;

        var (clean, _) = network.call(visual, audio, mask);
        var (noisy, _) = network.call(noisyVisual, noisyAudio, mask);

        AssertClose(clean.narrow(1, 0, frames), noisy.narrow(1, 0, frames), 1e-5, "prediction");
    }

    [TestMethod]
    public void Forward_FullClipAloneOrBesideAPaddedOne_SameOutputs()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        // A batch with no padding skips every masking step; next to a padded clip the same full clip goes through them.
        var (visualFull, audioFull, maskFull) = Batch([300], time: 300, seed: 6);
        var (visualMixed, audioMixed, maskMixed) = Batch([300, 90], time: 300, seed: 6);
        Assert.AreEqual(1f, maskFull.min().item<float>(), "the first batch has no padding");
        Assert.AreEqual(0f, maskMixed.min().item<float>(), "the second batch has padding");

        var (alone, weightsAlone) = network.call(visualFull, audioFull, maskFull);
        var (beside, weightsBeside) = network.call(visualMixed, audioMixed, maskMixed);

        AssertClose(alone, beside.narrow(0, 0, 1), 1e-5, "prediction");
        AssertClose(weightsAlone, weightsBeside.narrow(0, 0, 1), 1e-5, "weights");
    }

    [TestMethod]
    public void Backward_FullClipAloneOrBesideAPaddedOne_SameGradients()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        var (visualFull, audioFull, maskFull) = Batch([300], time: 300, seed: 7);
        var (visualMixed, audioMixed, maskMixed) = Batch([300, 90], time: 300, seed: 7);

        // Gradients of the full clip's outputs: the padded clip beside it adds nothing to them.
        Tensor[] Gradients(Tensor visual, Tensor audio, Tensor mask)
        {
            foreach (var parameter in network.parameters())
            {
                parameter.grad?.zero_();
            }
            var (prediction, _) = network.call(visual, audio, mask);
            prediction.narrow(0, 0, 1).sum().backward();
            return network.parameters().Select(p => p.grad!.clone()).ToArray();
        }
        var alone = Gradients(visualFull, audioFull, maskFull);
        var beside = Gradients(visualMixed, audioMixed, maskMixed);

        Assert.HasCount(alone.Length, beside);
        for (var i = 0; i < alone.Length; i++)
        {
            // Sums over 300 frames, in another order in a batch of two: relative to the gradient's size.
            var scale = 1 + alone[i].abs().max().item<float>();
            AssertClose(alone[i], beside[i], 1e-5 * scale, $"gradient {i}");
        }
        Assert.IsGreaterThan(0f, alone[0].abs().max().item<float>(), "the first TCN weight has a gradient");
    }

    [TestMethod]
    public void StateDict_SmallConfig_KeysMatchSnapshot()
    {
        using var network = CreateNetwork();

        var keys = network.state_dict().Keys.Order(StringComparer.Ordinal).ToArray();

        // Submodule names are the checkpoint format: a rename breaks every saved checkpoint, so change this list
        // only together with SageCheckpoint's format version. TorchSharp's RegisterComponents names submodules
        // after their fields, hence the leading underscores: unusual, but they are the format now. The positions
        // table is a non-persistent buffer and the dropout modules hold no weights, so neither appears.
        string[] expected =
        [
            "_audioTcn._blocks.0._conv1.bias",
            "_audioTcn._blocks.0._conv1.weight",
            "_audioTcn._blocks.0._conv2.bias",
            "_audioTcn._blocks.0._conv2.weight",
            "_audioTcn._blocks.0._downsample.bias",
            "_audioTcn._blocks.0._downsample.weight",
            "_audioTcn._blocks.1._conv1.bias",
            "_audioTcn._blocks.1._conv1.weight",
            "_audioTcn._blocks.1._conv2.bias",
            "_audioTcn._blocks.1._conv2.weight",
            "_finalNorm.bias",
            "_finalNorm.weight",
            "_fusion._score.bias",
            "_fusion._score.weight",
            "_headHidden.bias",
            "_headHidden.weight",
            "_headOutput.bias",
            "_headOutput.weight",
            "_transformer.0._attention._inProjection.bias",
            "_transformer.0._attention._inProjection.weight",
            "_transformer.0._attention._outProjection.bias",
            "_transformer.0._attention._outProjection.weight",
            "_transformer.0._attentionNorm.bias",
            "_transformer.0._attentionNorm.weight",
            "_transformer.0._feedForward1.bias",
            "_transformer.0._feedForward1.weight",
            "_transformer.0._feedForward2.bias",
            "_transformer.0._feedForward2.weight",
            "_transformer.0._feedForwardNorm.bias",
            "_transformer.0._feedForwardNorm.weight",
            "_visualTcn._blocks.0._conv1.bias",
            "_visualTcn._blocks.0._conv1.weight",
            "_visualTcn._blocks.0._conv2.bias",
            "_visualTcn._blocks.0._conv2.weight",
            "_visualTcn._blocks.0._downsample.bias",
            "_visualTcn._blocks.0._downsample.weight",
            "_visualTcn._blocks.1._conv1.bias",
            "_visualTcn._blocks.1._conv1.weight",
            "_visualTcn._blocks.1._conv2.bias",
            "_visualTcn._blocks.1._conv2.weight",
        ];
        CollectionAssert.AreEqual(expected, keys, "got:" + Environment.NewLine + string.Join(Environment.NewLine, keys));
    }

    [TestMethod]
    public void Parameters_DefaultOptionSizes_CountMatchesHandComputedTotal()
    {
        using var network = new SageNetwork(SageNetworkConfig.From(new SageOptions { VisualFeatureSize = 512, AudioFeatureSize = 768 }));

        var count = network.parameters().Sum(p => p.numel());

        Console.WriteLine($"SAGE parameters for Dv = 512, Da = 768 and default sizes: {count:N0}");
        // Visual TCN (512 -> 128, 3 levels, kernel 3): (512·128·3 + 128) + (128·128·3 + 128) + (512·128 + 128) + 2·2·(128·128·3 + 128) = 508,800
        // Audio TCN (768 -> 128):                      (768·128·3 + 128) + (128·128·3 + 128) + (768·128 + 128) + 2·2·(128·128·3 + 128) = 639,872
        // Fusion score, Linear 256 -> 1:                                                                                               257
        // Transformer layer (D = 256, FF 512): 2·2·256 + (256·768 + 768) + (256·256 + 256) + (256·512 + 512) + (512·256 + 256) = 527,104, twice
        // Final LayerNorm 2·256 = 512; head 256·128 + 128 = 32,896 and 128·2 + 2 = 258.
        Assert.AreEqual(508_800 + 639_872 + 257 + 2 * 527_104 + 512 + 32_896 + 258, count);
        Assert.AreEqual(2_236_803L, count);
    }

    [TestMethod]
    [DataRow(SageFusion.ReliabilityGuided, new[] { "_fusion._score.bias", "_fusion._score.weight" })]
    [DataRow(SageFusion.ModalityReliability, new[] { "_fusion._audioScore.bias", "_fusion._audioScore.weight", "_fusion._visualScore.bias", "_fusion._visualScore.weight" })]
    [DataRow(SageFusion.Concatenation, new string[0])]
    [DataRow(SageFusion.GatedMultimodalUnit, new[]
    {
        "_fusion._audioProjection.bias", "_fusion._audioProjection.weight", "_fusion._gate.bias", "_fusion._gate.weight",
        "_fusion._visualProjection.bias", "_fusion._visualProjection.weight",
    })]
    public void StateDict_EachFusion_OnlyTheFusionKeysDiffer(SageFusion fusion, string[] fusionKeys)
    {
        using var reference = CreateNetwork();
        using var network = CreateNetwork(fusion);

        var keys = network.state_dict().Keys.ToHashSet();

        // The fusion keys of each variant are part of the checkpoint format, like the default's snapshot above.
        CollectionAssert.AreEqual(fusionKeys, keys.Where(k => k.StartsWith("_fusion.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray());
        CollectionAssert.AreEquivalent(
            reference.state_dict().Keys.Where(k => !k.StartsWith("_fusion.", StringComparison.Ordinal)).ToArray(),
            keys.Where(k => !k.StartsWith("_fusion.", StringComparison.Ordinal)).ToArray());
    }

    [TestMethod]
    [DataRow(SageFusion.ModalityReliability)]
    [DataRow(SageFusion.Concatenation)]
    [DataRow(SageFusion.GatedMultimodalUnit)]
    public void Forward_EachFusion_SameOutputsOnRealFramesWhateverThePadding(SageFusion fusion)
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork(fusion);
        const int frames = 120;
        var (visual300, audio300, mask300) = Batch([frames], time: 300, seed: 4);
        var (visual200, audio200, mask200) = Batch([frames], time: 200, seed: 4);

        var (prediction300, weights300) = network.call(visual300, audio300, mask300);
        var (prediction200, weights200) = network.call(visual200, audio200, mask200);

        AssertClose(prediction200.narrow(1, 0, frames), prediction300.narrow(1, 0, frames), 1e-5, "prediction");
        AssertClose(weights200.narrow(1, 0, frames), weights300.narrow(1, 0, frames), 1e-5, "weights");
        Assert.AreEqual(0f, weights300.narrow(1, frames, 300 - frames).abs().max().item<float>(), "weights on padding");
        Assert.IsGreaterThan(0f, weights300.narrow(1, 0, frames).min().item<float>(), "every real frame has a positive weight");
    }

    [TestMethod]
    public void Dispose_Network_AlsoFreesTheNonPersistentPositionsTable()
    {
        var network = CreateNetwork();
        var positions = network.get_buffer("positions")!;
        var weight = network.HeadOutput.weight!;

        network.Dispose();

        // TorchSharp's Module.Dispose frees parameters and persistent buffers; SageNetwork frees its positions table.
        Assert.IsTrue(weight.IsInvalid, "a parameter");
        Assert.IsTrue(positions.IsInvalid, "the positions table");
    }

    private static SageNetwork CreateNetwork(SageFusion fusion = SageFusion.ReliabilityGuided)
    {
        manual_seed(20240611);
        var network = new SageNetwork(TestData.TinyNetworkConfig(VisualSize, AudioSize, fusion: fusion) with
        {
            TcnChannels = 4,
            TransformerLayers = 1,
            FeedForwardSize = 8,
            HeadHiddenSize = 4,
        });
        network.eval();
        return network;
    }

    /// <summary>Random features for clips with the given real frames, zero-padded to <paramref name="time"/>; the same seed gives the same real frames.</summary>
    private static (Tensor Visual, Tensor Audio, Tensor Mask) Batch(int[] realFrames, int time, int seed)
    {
        var random = new Random(seed);
        var visual = new float[realFrames.Length * time * VisualSize];
        var audio = new float[realFrames.Length * time * AudioSize];
        var mask = new float[realFrames.Length * time];
        for (var b = 0; b < realFrames.Length; b++)
        {
            for (var t = 0; t < realFrames[b]; t++)
            {
                for (var d = 0; d < VisualSize; d++)
                {
                    visual[(b * time + t) * VisualSize + d] = random.NextSingle() * 2 - 1;
                }
                for (var d = 0; d < AudioSize; d++)
                {
                    audio[(b * time + t) * AudioSize + d] = random.NextSingle() * 2 - 1;
                }
                mask[b * time + t] = 1;
            }
        }
        return (tensor(visual, [realFrames.Length, time, VisualSize]),
                tensor(audio, [realFrames.Length, time, AudioSize]),
                tensor(mask, [realFrames.Length, time]));
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, what);
        var worst = (double)(expected - actual).abs().max().item<float>();
        Assert.IsLessThanOrEqualTo(tolerance, worst, $"{what}: largest difference {worst:E2}");
    }
}

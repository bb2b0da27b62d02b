using Sage.MLNet.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Tests.Modeling;

/// <summary>Reliability-Guided Fusion with hand-set weights against α and Z computed by hand (paper eq. 7-10).</summary>
[TestClass]
public sealed class ReliabilityGuidedFusionTests
{
    private const int Batch = 2;
    private const int Time = 4;
    private const int Features = 3;
    private const float Bias = 0.25f;
    private static readonly float[] s_weight = [0.5f, -1f, 2f];

    // Clip 0 has four real frames; clip 1 has two, then two padded steps whose features are large so that
    // any leak of padding into α or Z would show.
    private static readonly int[] s_realFrames = [4, 2];
    private static readonly float[] s_x =
    [
        0.2f, 0.1f, -0.3f,    0.5f, -0.4f, 0.3f,    -0.1f, 0.2f, 0.6f,    0.0f, 0.7f, -0.2f,
        1.0f, -0.5f, 0.25f,   -0.6f, 0.3f, 0.1f,    9f, -9f, 9f,          9f, 9f, 9f,
    ];

    [TestMethod]
    public void Forward_KnownWeights_BothModalityWeightsAreSoftmaxOfScoresTimesFrames()
    {
        using var scope = NewDisposeScope();
        using var fusion = CreateFusion(SageReliabilityScaling.Literal);

        var (_, weights) = fusion.call(Input(), Mask());

        CollectionAssert.AreEqual(new long[] { Batch, Time, 2 }, weights.shape);
        var actual = weights.contiguous().data<float>().ToArray();
        var expected = ExpectedAlpha();
        for (var k = 0; k < expected.Length; k++)
        {
            // The one frame weight α·N (N = the clip's real frames) applies to both modalities.
            var relative = expected[k] * s_realFrames[k / Time];
            Assert.AreEqual(relative, actual[2 * k], 1e-5, $"visual weight at clip {k / Time}, frame {k % Time}");
            Assert.AreEqual(relative, actual[2 * k + 1], 1e-5, $"audio weight at clip {k / Time}, frame {k % Time}");
        }
    }

    [TestMethod]
    [DataRow(SageReliabilityScaling.Literal)]
    [DataRow(SageReliabilityScaling.FrameCount)]
    public void Forward_RandomWeightsAndClipsOfMixedLength_WeightsAverageOneOverRealFrames(SageReliabilityScaling scaling)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var fusion = new ReliabilityGuidedFusion(8, scaling);
        int[] realFrames = [300, 120, 1];
        var x = randn(realFrames.Length, 300, 8) * 3;

        var (_, weights) = fusion.call(x, MaskOf(realFrames, 300));

        var values = weights.select(-1, 0).contiguous().data<float>().ToArray();
        for (var b = 0; b < realFrames.Length; b++)
        {
            var mean = values.AsSpan(b * 300, realFrames[b]).ToArray().Average(v => (double)v);
            Assert.AreEqual(1.0, mean, 1e-5, $"mean α·N (Σα = 1) over the {realFrames[b]} real frames of clip {b}");
        }
    }

    [TestMethod]
    [DataRow(SageReliabilityScaling.Literal)]
    [DataRow(SageReliabilityScaling.FrameCount)]
    public void Forward_PaddedFrames_AlphaAndFusedAreExactlyZero(SageReliabilityScaling scaling)
    {
        using var scope = NewDisposeScope();
        using var fusion = CreateFusion(scaling);

        var (fused, weights) = fusion.call(Input(), Mask());

        var alphaValues = weights.select(-1, 0).contiguous().data<float>().ToArray();
        var fusedValues = fused.data<float>().ToArray();
        for (var t = s_realFrames[1]; t < Time; t++)
        {
            var k = Time + t;                       // clip 1, padded step t
            Assert.AreEqual(0f, alphaValues[k], $"α at padded step {t}");
            for (var d = 0; d < Features; d++)
            {
                Assert.AreEqual(0f, fusedValues[k * Features + d], $"Z at padded step {t}, feature {d}");
            }
        }
    }

    [TestMethod]
    [DataRow(SageReliabilityScaling.Literal)]
    [DataRow(SageReliabilityScaling.FrameCount)]
    public void Forward_KnownWeights_FusedIsAlphaTimesXScaledAsConfigured(SageReliabilityScaling scaling)
    {
        using var scope = NewDisposeScope();
        using var fusion = CreateFusion(scaling);

        var (fused, _) = fusion.call(Input(), Mask());

        CollectionAssert.AreEqual(new long[] { Batch, Time, Features }, fused.shape);
        var actual = fused.data<float>().ToArray();
        var alpha = ExpectedAlpha();
        for (var k = 0; k < Batch * Time; k++)
        {
            // Literal: Z = α·X (eq. 10). FrameCount: Z = α·X·N with N the clip's real frames, so weights average 1.
            var scale = scaling == SageReliabilityScaling.Literal ? 1.0 : s_realFrames[k / Time];
            for (var d = 0; d < Features; d++)
            {
                var expected = alpha[k] * s_x[k * Features + d] * scale;
                Assert.AreEqual(expected, actual[k * Features + d], 1e-6, $"Z at clip {k / Time}, frame {k % Time}, feature {d}");
            }
        }
    }

    private static ReliabilityGuidedFusion CreateFusion(SageReliabilityScaling scaling)
    {
        var fusion = new ReliabilityGuidedFusion(Features, scaling);
        using (no_grad())
        using (var weight = tensor(s_weight, [1, Features]))
        using (var bias = tensor(new[] { Bias }, [1]))
        {
            fusion.Score.weight!.copy_(weight);
            fusion.Score.bias!.copy_(bias);
        }
        return fusion;
    }

    private static Tensor Input() => tensor(s_x, [Batch, Time, Features]);

    private static Tensor Mask() => MaskOf(s_realFrames, Time);

    private static Tensor MaskOf(int[] realFrames, int time)
    {
        var mask = new float[realFrames.Length * time];
        for (var b = 0; b < realFrames.Length; b++)
        {
            mask.AsSpan(b * time, realFrames[b]).Fill(1f);
        }
        return tensor(mask, [realFrames.Length, time]);
    }

    /// <summary>α = softmax over each clip's real frames of g_t = W_r·x_t + b_r, computed in double; 0 on padding.</summary>
    private static double[] ExpectedAlpha()
    {
        var alpha = new double[Batch * Time];
        for (var b = 0; b < Batch; b++)
        {
            var logits = Enumerable.Range(0, s_realFrames[b])
                .Select(t => Bias + Enumerable.Range(0, Features).Sum(d => (double)s_weight[d] * s_x[(b * Time + t) * Features + d]))
                .ToArray();
            var max = logits.Max();
            var total = logits.Sum(g => Math.Exp(g - max));
            for (var t = 0; t < logits.Length; t++)
            {
                alpha[b * Time + t] = Math.Exp(logits[t] - max) / total;
            }
        }
        return alpha;
    }
}

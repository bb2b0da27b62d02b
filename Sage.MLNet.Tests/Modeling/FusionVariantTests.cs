using Sage.MLNet.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Tests.Modeling;

/// <summary>The fusion variants other than Reliability-Guided Fusion against Z and weights computed by hand in double.</summary>
[TestClass]
public sealed class FusionVariantTests
{
    private const int Channels = 3;                 // per modality; D = 6
    private const int Time = 5;
    private static readonly int[] s_realFrames = [5, 3];

    [TestMethod]
    [DataRow(SageReliabilityScaling.FrameCount)]
    [DataRow(SageReliabilityScaling.Literal)]
    public void ModalityReliability_RandomWeights_EachModalityScaledBySoftmaxOfItsOwnScores(SageReliabilityScaling scaling)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var fusion = new ModalityReliabilityFusion(Channels, scaling);
        var x = Input(seed: 1);

        var (fused, weights) = fusion.call(x, Mask());

        var xs = x.data<float>().ToArray();
        var z = fused.data<float>().ToArray();
        var w = weights.contiguous().data<float>().ToArray();
        var visualW = fusion.VisualScore.weight!.data<float>().ToArray();
        var audioW = fusion.AudioScore.weight!.data<float>().ToArray();
        var visualB = fusion.VisualScore.bias!.item<float>();
        var audioB = fusion.AudioScore.bias!.item<float>();
        for (var b = 0; b < s_realFrames.Length; b++)
        {
            var n = s_realFrames[b];
            for (var m = 0; m < 2; m++)
            {
                // α_m over the clip's real frames from that modality's own channels only.
                var (weight, bias) = m == 0 ? (visualW, visualB) : (audioW, audioB);
                var logits = Enumerable.Range(0, n)
                    .Select(t => bias + Enumerable.Range(0, Channels).Sum(c => (double)weight[c] * xs[Index(b, t, m * Channels + c)]))
                    .ToArray();
                var alpha = Softmax(logits);
                for (var t = 0; t < Time; t++)
                {
                    var a = t < n ? alpha[t] : 0;
                    Assert.AreEqual(a * n, w[(b * Time + t) * 2 + m], 1e-5, $"weight of modality {m}, clip {b}, frame {t}");
                    var factor = scaling == SageReliabilityScaling.Literal ? a : a * n;
                    for (var c = 0; c < Channels; c++)
                    {
                        var k = Index(b, t, m * Channels + c);
                        Assert.AreEqual(xs[k] * factor, z[k], 1e-5, $"Z of modality {m}, clip {b}, frame {t}, channel {c}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Concatenation_AnyInput_FusedIsInputAndWeightsAreOneOnRealFrames()
    {
        using var scope = NewDisposeScope();
        using var fusion = new ConcatenationFusion();
        var x = Input(seed: 2);

        var (fused, weights) = fusion.call(x, Mask());

        CollectionAssert.AreEqual(x.data<float>().ToArray(), fused.data<float>().ToArray());
        var w = weights.contiguous().data<float>().ToArray();
        for (var b = 0; b < s_realFrames.Length; b++)
        {
            for (var t = 0; t < Time; t++)
            {
                var expected = t < s_realFrames[b] ? 1f : 0f;
                Assert.AreEqual(expected, w[(b * Time + t) * 2], $"visual weight, clip {b}, frame {t}");
                Assert.AreEqual(expected, w[(b * Time + t) * 2 + 1], $"audio weight, clip {b}, frame {t}");
            }
        }
        Assert.IsEmpty(fusion.parameters().ToArray(), "concatenation holds no weights");
    }

    [TestMethod]
    public void GatedMultimodalUnit_RandomWeights_MatchesGmuEquationsAndWeightsSumToTwo()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        const int width = 2 * Channels;
        using var fusion = new GatedMultimodalUnitFusion(Channels, width);
        var x = Input(seed: 3);

        var (fused, weights) = fusion.call(x, Mask());

        var xs = x.data<float>().ToArray();
        var z = fused.data<float>().ToArray();
        var w = weights.contiguous().data<float>().ToArray();
        double Linear(TorchSharp.Modules.Linear linear, int row, int from, int count, int b, int t)
        {
            var weight = linear.weight!.data<float>().ToArray();
            return linear.bias!.data<float>()[row] + Enumerable.Range(0, count).Sum(c => (double)weight[row * count + c] * xs[Index(b, t, from + c)]);
        }
        for (var b = 0; b < s_realFrames.Length; b++)
        {
            for (var t = 0; t < s_realFrames[b]; t++)
            {
                double gateSum = 0;
                for (var d = 0; d < width; d++)
                {
                    var hv = Math.Tanh(Linear(fusion.VisualProjection, d, 0, Channels, b, t));
                    var ha = Math.Tanh(Linear(fusion.AudioProjection, d, Channels, Channels, b, t));
                    var gate = 1 / (1 + Math.Exp(-Linear(fusion.Gate, d, 0, width, b, t)));
                    gateSum += gate;
                    Assert.AreEqual(gate * hv + (1 - gate) * ha, z[(b * Time + t) * width + d], 1e-5, $"Z at clip {b}, frame {t}, feature {d}");
                }
                Assert.AreEqual(2 * gateSum / width, w[(b * Time + t) * 2], 1e-5, $"visual weight 2·mean z, clip {b}, frame {t}");
                Assert.AreEqual(2.0, w[(b * Time + t) * 2] + w[(b * Time + t) * 2 + 1], 1e-5, $"weights sum to 2, clip {b}, frame {t}");
            }
            for (var t = s_realFrames[b]; t < Time; t++)
            {
                Assert.AreEqual(0f, w[(b * Time + t) * 2], $"visual weight on padding, clip {b}, frame {t}");
                Assert.AreEqual(0f, w[(b * Time + t) * 2 + 1], $"audio weight on padding, clip {b}, frame {t}");
            }
        }
    }

    private static int Index(int b, int t, int feature) => (b * Time + t) * 2 * Channels + feature;

    private static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var total = logits.Sum(g => Math.Exp(g - max));
        return [.. logits.Select(g => Math.Exp(g - max) / total)];
    }

    private static Tensor Input(int seed)
    {
        var random = new Random(seed);
        var values = new float[s_realFrames.Length * Time * 2 * Channels];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle() * 4 - 2;
        }
        return tensor(values, [s_realFrames.Length, Time, 2 * Channels]);
    }

    private static Tensor Mask()
    {
        var mask = new float[s_realFrames.Length * Time];
        for (var b = 0; b < s_realFrames.Length; b++)
        {
            mask.AsSpan(b * Time, s_realFrames[b]).Fill(1f);
        }
        return tensor(mask, [s_realFrames.Length, Time]);
    }
}

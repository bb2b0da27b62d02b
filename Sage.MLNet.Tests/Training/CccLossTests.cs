using Sage.MLNet.Evaluation;
using Sage.MLNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Tests.Training;

/// <summary>The 1 − CCC training loss against golden values and against the evaluation's <see cref="Concordance"/>.</summary>
[TestClass]
public sealed class CccLossTests
{
    // Zero mean in both columns, so the negated copy has the same mean and its CCC is exactly −1.
    private static readonly float[] s_valence = [0.1f, -0.4f, 0.5f, 0.9f, -0.2f, 0.3f, -0.7f, -0.5f];
    private static readonly float[] s_arousal = [-0.3f, 0.6f, 0.2f, -0.8f, 0.4f, 0.1f, 0.5f, -0.7f];

    [TestMethod]
    public void Compute_PerfectPrediction_IsZero()
    {
        using var scope = NewDisposeScope();
        var target = Pairs(s_valence, s_arousal);

        var loss = CccLoss.Compute(target.clone(), target, ones(2, 4));

        Assert.AreEqual(0.0, loss.item<float>(), 1e-6);
    }

    [TestMethod]
    public void Compute_NegatedZeroMeanTarget_IsTwo()
    {
        using var scope = NewDisposeScope();
        var target = Pairs(s_valence, s_arousal);

        var loss = CccLoss.Compute(-target, target, ones(2, 4));

        Assert.AreEqual(2.0, loss.item<float>(), 1e-6);
    }

    [TestMethod]
    public void Compute_WildValuesOnMaskedFrames_LossUnchanged()
    {
        using var scope = NewDisposeScope();
        float[] weight = [1, 1, 0, 1, 1, 0, 1, 1];
        var prediction = Pairs([0.2f, -0.1f, 0f, 0.7f, 0f, 0f, -0.6f, -0.3f], [0.1f, 0.3f, 0f, -0.5f, 0.2f, 0f, 0.4f, -0.2f]);
        var target = Pairs(s_valence, s_arousal);
        // Padding and −5 frames: huge predictions and the −5 label itself where the weight is 0.
        var wildPrediction = Pairs([0.2f, -0.1f, 1e4f, 0.7f, 0f, -3e3f, -0.6f, -0.3f], [0.1f, 0.3f, -1e4f, -0.5f, 0.2f, 777f, 0.4f, -0.2f]);
        var wildTarget = Pairs([0.1f, -0.4f, -5f, 0.9f, -0.2f, -5f, -0.7f, -0.5f], [-0.3f, 0.6f, -5f, -0.8f, 0.4f, -5f, 0.5f, -0.7f]);
        var mask = tensor(weight, [2, 4]);

        var clean = CccLoss.Compute(prediction, target, mask).item<float>();
        var wild = CccLoss.Compute(wildPrediction, wildTarget, mask).item<float>();

        Assert.AreEqual(clean, wild, 1e-6);
        Assert.IsTrue(clean is > 0 and < 2, $"a real loss, not a degenerate one: {clean}");
    }

    [TestMethod]
    public void Compute_RandomDataWithMask_MatchesConcordanceOfAnnotatedFrames()
    {
        using var scope = NewDisposeScope();
        const int batch = 3, time = 50;
        var random = new Random(5);
        var prediction = new float[batch * time * 2];
        var target = new float[batch * time * 2];
        var weight = new float[batch * time];
        var valence = new Concordance();
        var arousal = new Concordance();
        for (var k = 0; k < batch * time; k++)
        {
            // Correlated but shifted and rescaled, so covariance, variances and the mean gap all matter.
            var v = random.NextSingle() * 2 - 1;
            var a = random.NextSingle() * 2 - 1;
            target[2 * k] = v;
            target[2 * k + 1] = a;
            prediction[2 * k] = 0.6f * v + 0.2f + 0.3f * (random.NextSingle() - 0.5f);
            prediction[2 * k + 1] = -0.4f * a - 0.1f + 0.5f * (random.NextSingle() - 0.5f);
            weight[k] = random.NextDouble() < 0.8 ? 1 : 0;
            if (weight[k] == 1)
            {
                valence.Add(prediction[2 * k], target[2 * k]);
                arousal.Add(prediction[2 * k + 1], target[2 * k + 1]);
            }
        }

        var loss = CccLoss.Compute(tensor(prediction, [batch, time, 2]), tensor(target, [batch, time, 2]), tensor(weight, [batch, time]));

        var expected = 1 - (valence.Value + arousal.Value) / 2;
        Console.WriteLine($"CCC valence {valence.Value:F6}, arousal {arousal.Value:F6}; loss {loss.item<float>():F6}, expected {expected:F6}");
        Assert.AreEqual(expected, loss.item<float>(), 1e-5);
    }

    /// <summary>Two clips of four frames: [2, 4, 2] with (valence, arousal) per frame.</summary>
    private static Tensor Pairs(float[] valence, float[] arousal) =>
        stack([tensor(valence), tensor(arousal)], -1).view(2, 4, 2);
}

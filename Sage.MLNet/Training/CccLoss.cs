using Sage.MLNet.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// The training loss 1 − CCC (paper eq. 16), one CCC per target over the batch's annotated frames taken
/// together, averaged over valence and arousal. Population moments, as in <see cref="Evaluation.Concordance"/>.
/// </summary>
internal static class CccLoss
{
    // Keeps the loss finite for a batch whose labels are all equal; far below any real variance.
    private static readonly Scalar s_epsilon = 1e-8f.ToScalar();

    /// <param name="prediction">[batch, time, 2]</param>
    /// <param name="target">[batch, time, 2]</param>
    /// <param name="weight">[batch, time], 1 for annotated frames and 0 for padding and −5 labels; at least one 1</param>
    /// <returns>a scalar tensor</returns>
    public static Tensor Compute(Tensor prediction, Tensor target, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var w = weight.unsqueeze(-1);
        var count = weight.sum();
        Tensor Mean(Tensor x) => (x * w).sum([0, 1]) / count;              // [2]
        var predictionMean = Mean(prediction);
        var targetMean = Mean(target);
        var p = prediction.add(predictionMean, Scalars.MinusOne);
        var t = target.add(targetMean, Scalars.MinusOne);
        var meanGap = predictionMean.add(targetMean, Scalars.MinusOne);
        var denominator = Mean(p * p).add(Mean(t * t), Scalars.One).add(meanGap * meanGap, Scalars.One).add(s_epsilon, Scalars.One);
        var ccc = Mean(p * t).mul(Scalars.Two) / denominator;
        return ccc.mean().neg().add(Scalars.One, Scalars.One).MoveToOuterDisposeScope();
    }
}

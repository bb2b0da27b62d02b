using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// The training loss 1 − CCC (paper eq. 16), one CCC per target over the batch's annotated frames taken
/// together, averaged over valence and arousal. Population moments, as in <see cref="Evaluation.Concordance"/>.
/// </summary>
internal static class CccLoss
{
    // Keeps the loss finite for a batch whose labels are all equal; far below any real variance.
    private const double Epsilon = 1e-8;

    /// <param name="prediction">[batch, time, 2]</param>
    /// <param name="target">[batch, time, 2]</param>
    /// <param name="weight">[batch, time], 1 for annotated frames and 0 for padding and −5 labels; at least one 1</param>
    /// <returns>a scalar</returns>
    public static Tensor Compute(Tensor prediction, Tensor target, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var w = weight.unsqueeze(-1);
        var count = weight.sum();
        Tensor Mean(Tensor x) => (x * w).sum([0, 1]) / count;              // [2]
        var predictionMean = Mean(prediction);
        var targetMean = Mean(target);
        var p = prediction - predictionMean;
        var t = target - targetMean;
        var covariance = Mean(p * t);
        var ccc = 2 * covariance / (Mean(p * p) + Mean(t * t) + (predictionMean - targetMean).square() + Epsilon);
        return (1 - ccc.mean()).MoveToOuterDisposeScope();
    }
}

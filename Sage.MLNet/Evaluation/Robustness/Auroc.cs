namespace Sage.MLNet.Evaluation.Robustness;

/// <summary>
/// The area under the ROC curve of "this frame's modality is corrupted" against the weight the fusion gave it, read so that a
/// lower weight should mean corrupted: the probability that a corrupted frame has a lower weight than a clean one, ties counting half.
/// </summary>
internal static class Auroc
{
    /// <summary>Returns the AUROC, or null when either class is empty (no corrupted frame, or no clean one).</summary>
    /// <param name="weights">One weight per frame.</param>
    /// <param name="corrupted">One flag per frame, true where the modality was corrupted.</param>
    public static double? OfLowWeight(IReadOnlyList<float> weights, IReadOnlyList<bool> corrupted)
    {
        if (weights.Count != corrupted.Count)
        {
            throw new ArgumentException($"{weights.Count} weights but {corrupted.Count} flags", nameof(corrupted));
        }
        // Mann-Whitney U through ranks of the negated weight (average ranks over ties), O(n log n).
        var order = Enumerable.Range(0, weights.Count).OrderByDescending(i => weights[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && weights[order[end + 1]] == weights[order[start]])
            {
                end++;
            }
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (corrupted[order[k]])
                {
                    rankSum += rank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = weights.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}

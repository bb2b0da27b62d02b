namespace Sage.MLNet.Training.CrossValidation;

/// <summary>Chooses the folds of the combined predictor from their scores on the validation set.</summary>
internal static class FoldSelection
{
    /// <summary>Returns the weights of <paramref name="selection"/> for K = <paramref name="validation"/>.Count folds.</summary>
    /// <param name="selection">Target-wise: weight 1 on the fold with the highest CCC per target, 0 elsewhere; average: 1/K each.</param>
    /// <param name="validation">Each fold's CCC on the validation set; needed for target-wise selection only.</param>
    public static FoldWeights Choose(SageFoldSelection selection, IReadOnlyList<CccMetrics?> validation)
    {
        var count = validation.Count;
        if (selection == SageFoldSelection.Average)
        {
            var even = Enumerable.Repeat(1f / count, count).ToArray();
            return new FoldWeights(even, [.. even], null, null);
        }
        var scores = validation.Select((metrics, fold) => metrics
            ?? throw new ArgumentException($"Target-wise selection needs every fold's validation CCC; fold {fold + 1} has none", nameof(validation)))
            .ToArray();
        var valenceFold = Best(scores.Select(m => m.Valence).ToArray());
        var arousalFold = Best(scores.Select(m => m.Arousal).ToArray());
        return new FoldWeights(OneHot(count, valenceFold), OneHot(count, arousalFold), valenceFold, arousalFold);
    }

    /// <summary>The index of the highest score; the first on ties; NaN counts as lowest.</summary>
    private static int Best(double[] scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best] || (double.IsNaN(scores[best]) && !double.IsNaN(scores[i])))
            {
                best = i;
            }
        }
        return best;
    }

    private static float[] OneHot(int count, int index)
    {
        var weights = new float[count];
        weights[index] = 1;
        return weights;
    }
}

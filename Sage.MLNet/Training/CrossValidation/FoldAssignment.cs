namespace Sage.MLNet.Training.CrossValidation;

/// <summary>Assigns groups of videos to folds, balanced by frames, deterministically for a seed, never splitting a group.</summary>
internal static class FoldAssignment
{
    private static readonly string[] s_sideSuffixes = ["_left", "_right"];

    /// <summary>Returns the group of a video id: the id without a trailing "_left" or "_right" (Aff-Wild2's two people of one video).</summary>
    public static string GroupOf(string videoId)
    {
        foreach (var suffix in s_sideSuffixes)
        {
            if (videoId.Length > suffix.Length && videoId.EndsWith(suffix, StringComparison.Ordinal))
            {
                return videoId[..^suffix.Length];
            }
        }
        return videoId;
    }

    /// <summary>
    /// Returns the fold (from 0) of each group. Groups are taken in an order shuffled by <paramref name="seed"/> and each goes
    /// to the fold with the fewest frames so far (then the fewest groups, then the lowest index). So every fold gets a
    /// group when there are at least as many groups as folds, and two folds' frame totals differ by at most the largest group's.
    /// </summary>
    /// <param name="groupFrames">Frames of each group.</param>
    /// <param name="foldCount">Folds K.</param>
    /// <param name="seed">Seed of the order.</param>
    public static int[] Assign(IReadOnlyList<long> groupFrames, int foldCount, int seed)
    {
        var order = Enumerable.Range(0, groupFrames.Count).ToArray();
        new Random(seed).Shuffle(order);
        var frames = new long[foldCount];
        var groups = new int[foldCount];
        var foldOf = new int[groupFrames.Count];
        foreach (var group in order)
        {
            var lightest = 0;
            for (var fold = 1; fold < foldCount; fold++)
            {
                if (frames[fold] < frames[lightest] || (frames[fold] == frames[lightest] && groups[fold] < groups[lightest]))
                {
                    lightest = fold;
                }
            }
            foldOf[group] = lightest;
            frames[lightest] += groupFrames[group];
            groups[lightest]++;
        }
        return foldOf;
    }
}

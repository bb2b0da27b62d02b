namespace Sage.MLNet.Evaluation.Corruption;

/// <summary>Places the corrupted stretches of one video: a given share of its frames, in stretches of a given length, at places drawn from a seed.</summary>
internal static class CorruptionStretches
{
    /// <summary>Returns the stretches as [first, last] frame pairs, in order and not overlapping, covering exactly round(coverage·T) frames.</summary>
    /// <param name="frameCount">T, the video's frames.</param>
    /// <param name="coverage">The share of frames to cover, in [0, 1].</param>
    /// <param name="stretchFrames">The length of each stretch; the covered frames are split into as few stretches as that allows, of near-equal lengths.</param>
    /// <param name="random">The draw, seeded per video.</param>
    public static IReadOnlyList<(int First, int Last)> Place(int frameCount, double coverage, int stretchFrames, Random random)
    {
        var covered = (int)Math.Round(coverage * frameCount, MidpointRounding.AwayFromZero);
        if (covered <= 0)
        {
            return [];
        }
        var count = (covered + stretchFrames - 1) / stretchFrames;
        var free = frameCount - covered;
        // Apart from each other where the free frames allow (inner gaps of at least one frame), else touching.
        var innerMinimum = free >= count - 1 ? 1 : 0;
        var spare = free - innerMinimum * (count - 1);
        // The spare frames go to the count + 1 gaps in shares drawn from the seed (exponential weights: a uniform split of the simplex).
        var weights = Enumerable.Range(0, count + 1).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
        var total = weights.Sum();
        var gaps = weights.Select(weight => (int)Math.Floor(spare * weight / total)).ToArray();
        for (var left = spare - gaps.Sum(); left > 0; left--)
        {
            gaps[random.Next(gaps.Length)]++;
        }
        var stretches = new List<(int, int)>(count);
        var frame = gaps[0];
        for (var i = 0; i < count; i++)
        {
            var length = covered / count + (i < covered % count ? 1 : 0);
            stretches.Add((frame, frame + length - 1));
            frame += length + gaps[i + 1] + (i < count - 1 ? innerMinimum : 0);
        }
        return stretches;
    }

    /// <summary>Returns a seed for one video that depends on the corruption's seed and the video's id, not on the row's position.</summary>
    public static int VideoSeed(int seed, string videoId)
    {
        // FNV-1a over the id's UTF-16 code units: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in videoId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash = (hash ^ (uint)seed) * 16777619u;
        hash ^= hash >> 15;
        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>Returns T flags, true for a frame inside one of <paramref name="stretches"/>.</summary>
    public static bool[] Mask(int frameCount, IEnumerable<(int First, int Last)> stretches)
    {
        var mask = new bool[frameCount];
        foreach (var (first, last) in stretches)
        {
            for (var t = Math.Max(0, first); t <= Math.Min(frameCount - 1, last); t++)
            {
                mask[t] = true;
            }
        }
        return mask;
    }
}

namespace Sage.MLNet.Data.Synthetic;

/// <summary>Derives independent seeds from the copy's seed, the same in every process (unlike HashCode.Combine).</summary>
internal static class SeedMixer
{
    /// <summary>Returns a well-spread seed for part <paramref name="part"/> of item <paramref name="index"/>.</summary>
    public static int Mix(int seed, int index, int part = 0)
    {
        // The SplitMix64 finaliser: distinct inputs give well-spread outputs.
        var x = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)index << 8) ^ (uint)part;
        x = unchecked(x + 0x9E3779B97F4A7C15UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(x ^ (x >> 31)));
    }
}

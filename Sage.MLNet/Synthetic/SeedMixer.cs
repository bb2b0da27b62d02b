namespace Sage.MLNet.Synthetic;

/// <summary>
/// Derives independent seeds from a generator's seed, the same in every process (unlike HashCode.Combine): the one
/// place both synthetic generators take their per-video and per-part seeds from.
/// </summary>
internal static class SeedMixer
{
    /// <summary>Returns a well-spread seed for part <paramref name="part"/> of item <paramref name="index"/> of a synthetic Aff-Wild2 copy.</summary>
    public static int Mix(int seed, int index, int part = 0) =>
        Finalise(unchecked((((ulong)(uint)seed << 32) ^ ((ulong)(uint)index << 8) ^ (uint)part) + 0x9E3779B97F4A7C15UL));

    /// <summary>Returns the seed of video <paramref name="index"/> of a synthetic feature sequence set.</summary>
    /// <remarks>Packs its inputs differently from <see cref="Mix"/>: changing either packing would change every video made so far.</remarks>
    public static int MixVideo(int seed, int index) => Finalise(((ulong)(uint)seed << 32) | (uint)index);

    // The SplitMix64 finaliser: distinct inputs give well-spread outputs.
    private static int Finalise(ulong x)
    {
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(x ^ (x >> 31)));
    }
}

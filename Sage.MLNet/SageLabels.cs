namespace Sage.MLNet;

/// <summary>Conventions of valence and arousal annotations.</summary>
public static class SageLabels
{
    /// <summary>The value Aff-Wild2 writes for a frame that was not annotated: −5.</summary>
    public const float NotAnnotated = -5f;

    /// <summary>Returns whether a frame's labels count: neither value is <see cref="NotAnnotated"/>.</summary>
    public static bool IsAnnotated(float valence, float arousal) => valence != NotAnnotated && arousal != NotAnnotated;
}

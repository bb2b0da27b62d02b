namespace Sage.MLNet.Synthetic;

/// <summary>A stretch of frames, both ends included and counted from 0, in which one modality is unreliable.</summary>
internal sealed record ReliabilityStage(int FirstFrame, int LastFrame, SyntheticDegradation Degradation)
{
    /// <summary>Returns whether the face (rather than the audio) is the unreliable modality.</summary>
    public bool IsFace => Degradation is SyntheticDegradation.FaceOccluded or SyntheticDegradation.FaceBlurred;

    /// <summary>Returns whether <paramref name="frame"/> lies in the stage.</summary>
    public bool Contains(int frame) => frame >= FirstFrame && frame <= LastFrame;

    /// <summary>
    /// Cuts <paramref name="frames"/> frames into back-to-back stretches of <paramref name="shortest"/> to
    /// <paramref name="longest"/> frames (the last one cut short at the end), the stages both generators alternate
    /// between; returns each stretch's first and last frame, in order.
    /// </summary>
    public static List<(int FirstFrame, int LastFrame)> Stretches(Random random, int frames, int shortest, int longest)
    {
        var stretches = new List<(int, int)>();
        for (var t = 0; t < frames;)
        {
            var length = Math.Min(random.Next(shortest, longest + 1), frames - t);
            stretches.Add((t, t + length - 1));
            t += length;
        }
        return stretches;
    }
}

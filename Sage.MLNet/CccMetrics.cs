namespace Sage.MLNet;

/// <summary>
/// Concordance correlation coefficients of predicted against annotated valence and arousal, computed the
/// ABAW way: one CCC per target over all annotated frames of all videos taken together.
/// </summary>
/// <param name="Valence">CCC of valence, in [−1, 1].</param>
/// <param name="Arousal">CCC of arousal, in [−1, 1].</param>
/// <param name="FrameCount">Annotated frames that took part (frames where either label is −5 are left out).</param>
public sealed record CccMetrics(double Valence, double Arousal, long FrameCount)
{
    /// <summary>Gets the mean of the valence and arousal CCCs: the challenge's ranking score.</summary>
    public double Mean => (Valence + Arousal) / 2;

    /// <summary>Returns the three scores and the frame count on one line.</summary>
    public override string ToString() =>
        $"CCC valence {Valence:F4}, arousal {Arousal:F4}, mean {Mean:F4} over {FrameCount:N0} frames";
}

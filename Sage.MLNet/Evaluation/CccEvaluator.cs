namespace Sage.MLNet.Evaluation;

/// <summary>
/// Accumulates predicted and annotated valence and arousal over videos into one <see cref="CccMetrics"/>,
/// leaving out frames where either label is −5. Used by evaluation and by training's validation reports.
/// </summary>
internal sealed class CccEvaluator
{
    private readonly Concordance _valence = new();
    private readonly Concordance _arousal = new();

    /// <summary>Adds one video's frames; all four spans have one value per frame.</summary>
    public void AddVideo(ReadOnlySpan<float> predictedValence, ReadOnlySpan<float> predictedArousal,
        ReadOnlySpan<float> valence, ReadOnlySpan<float> arousal)
    {
        for (var t = 0; t < valence.Length; t++)
        {
            if (SageLabels.IsAnnotated(valence[t], arousal[t]))
            {
                _valence.Add(predictedValence[t], valence[t]);
                _arousal.Add(predictedArousal[t], arousal[t]);
            }
        }
    }

    public CccMetrics Result => new(_valence.Value, _arousal.Value, _valence.Count);
}

namespace Sage.MLNet.Samples.Workflow;

/// <summary>One scored video: its labels (empty when it has none) and the model's per-frame outputs.</summary>
internal sealed class ScoredVideo
{
    public string VideoId { get; set; } = "";

    public float[] Valence { get; set; } = [];

    public float[] Arousal { get; set; } = [];

    public float[] PredictedValence { get; set; } = [];

    public float[] PredictedArousal { get; set; } = [];

    public float[] Reliability { get; set; } = [];
}

namespace Sage.MLNet.Modeling;

/// <summary>One video's per-frame outputs: predicted valence and arousal and the fusion weight.</summary>
internal sealed record SagePrediction(float[] Valence, float[] Arousal, float[] Reliability);

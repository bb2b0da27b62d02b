namespace Sage.MLNet.Modeling;

/// <summary>
/// One video's per-frame outputs: predicted valence and arousal, the fusion weight (the mean of the two modalities'),
/// and each modality's weight.
/// </summary>
internal sealed record SagePrediction(float[] Valence, float[] Arousal, float[] Reliability, float[] VisualReliability, float[] AudioReliability);

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>The weight of each fold's valence and arousal in the combined predictor, and the folds chosen per target.</summary>
/// <param name="Valence">Factor on each fold's valence, by fold index from 0.</param>
/// <param name="Arousal">Factor on each fold's arousal.</param>
/// <param name="ValenceFold">The fold (from 0) chosen for valence; null when all folds are averaged.</param>
/// <param name="ArousalFold">The fold (from 0) chosen for arousal; null when all folds are averaged.</param>
internal sealed record FoldWeights(float[] Valence, float[] Arousal, int? ValenceFold, int? ArousalFold);

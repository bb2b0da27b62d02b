namespace Sage.MLNet;

/// <summary>One fold of a cross-validation run: its held-out videos, its scores, and its weight in the combined predictor.</summary>
/// <param name="Fold">The fold, counted from 1.</param>
/// <param name="HeldOutVideos">Training rows (videos) held out of this fold's training, used for its best epoch and early stopping.</param>
/// <param name="HeldOutFrames">Frames of those videos.</param>
/// <param name="BestEpoch">The epoch whose weights were kept: the best mean CCC on the held-out videos, counted from 1.</param>
/// <param name="Epochs">Epochs trained before early stopping or <see cref="SageOptions.MaxEpochs"/>.</param>
/// <param name="HeldOut">CCC of the kept weights on the held-out videos. Optimistic: the same videos chose the epoch.</param>
/// <param name="Validation">CCC of the kept weights on <see cref="SageCrossValidationOptions.ValidationData"/>, or null without it.</param>
/// <param name="ValenceWeight">Factor on this fold's valence in the combined predictor: 1 or 0 for target-wise selection, 1/K for averaging.</param>
/// <param name="ArousalWeight">Factor on this fold's arousal in the combined predictor.</param>
public sealed record SageFoldResult(
    int Fold,
    int HeldOutVideos,
    long HeldOutFrames,
    int BestEpoch,
    int Epochs,
    CccMetrics HeldOut,
    CccMetrics? Validation,
    double ValenceWeight,
    double ArousalWeight);

namespace Sage.MLNet;

/// <summary>
/// What one finished training epoch of one cross-validation fold achieved, reported through
/// <see cref="SageCrossValidationOptions.Progress"/>.
/// </summary>
/// <param name="Fold">The fold being trained, counted from 1.</param>
/// <param name="FoldCount">The number of folds K.</param>
/// <param name="Epoch">The epoch's report; its <see cref="SageTrainingProgress.Validation"/> is the CCC on the fold's held-out videos.</param>
public sealed record SageFoldProgress(int Fold, int FoldCount, SageTrainingProgress Epoch);

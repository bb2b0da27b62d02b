namespace Sage.MLNet.Training.CrossValidation;

/// <summary>
/// Receives one fold's epoch reports from <see cref="SageTrainer"/>: passes them on to <see cref="SageOptions.Progress"/> and,
/// with the fold number, to <see cref="SageCrossValidationOptions.Progress"/>, and remembers the kept epoch, its held-out score and the last epoch.
/// </summary>
internal sealed class FoldProgress : IProgress<SageTrainingProgress>
{
    private readonly int _fold;
    private readonly int _foldCount;
    private readonly IProgress<SageTrainingProgress>? _training;
    private readonly IProgress<SageFoldProgress>? _folds;

    /// <param name="fold">The fold, counted from 1.</param>
    /// <param name="foldCount">Folds K.</param>
    /// <param name="training">The caller's epoch progress, if any.</param>
    /// <param name="folds">The caller's fold progress, if any.</param>
    public FoldProgress(int fold, int foldCount, IProgress<SageTrainingProgress>? training, IProgress<SageFoldProgress>? folds)
    {
        _fold = fold;
        _foldCount = foldCount;
        _training = training;
        _folds = folds;
    }

    /// <summary>Gets the epoch whose weights training keeps: the last one reported as best.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Gets the held-out CCC of the kept epoch: the validation score training chose it by.</summary>
    public CccMetrics? BestValidation { get; private set; }

    /// <summary>Gets the last epoch trained.</summary>
    public int Epochs { get; private set; }

    public void Report(SageTrainingProgress value)
    {
        Epochs = value.Epoch;
        if (value.IsBest)
        {
            BestEpoch = value.Epoch;
            BestValidation = value.Validation;
        }
        _training?.Report(value);
        _folds?.Report(new SageFoldProgress(_fold, _foldCount, value));
    }
}

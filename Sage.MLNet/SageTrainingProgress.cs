namespace Sage.MLNet;

/// <summary>What one finished training epoch achieved, reported through <see cref="SageOptions.Progress"/>.</summary>
/// <param name="Epoch">The epoch just finished, counted from 1.</param>
/// <param name="MaxEpochs">The most epochs this run will train.</param>
/// <param name="TrainingLoss">Mean 1 − CCC over the epoch's optimisation steps, averaged over valence and arousal.</param>
/// <param name="Validation">CCC on <see cref="SageOptions.ValidationData"/>, or null without validation data.</param>
/// <param name="IsBest">Whether this epoch's weights are the best so far and will be kept.</param>
/// <param name="FramesPerSecond">Training throughput of the epoch, in frames per second.</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record SageTrainingProgress(
    int Epoch,
    int MaxEpochs,
    double TrainingLoss,
    CccMetrics? Validation,
    bool IsBest,
    double FramesPerSecond,
    TimeSpan Elapsed);

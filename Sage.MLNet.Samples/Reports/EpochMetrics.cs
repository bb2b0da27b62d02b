namespace Sage.MLNet.Samples.Reports;

/// <summary>One training epoch's row of <c>metrics.json</c>.</summary>
/// <param name="Fold">The cross-validation fold that trained, from 1; null for a single model.</param>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainingLoss">Mean 1 − CCC over the epoch's steps.</param>
/// <param name="ValidationMeanCcc">Mean CCC after the epoch on the data that chooses the best epoch: the Validation split, or a fold's
/// held-out Train videos; null without such data.</param>
/// <param name="ValidationValenceCcc">Validation valence CCC.</param>
/// <param name="ValidationArousalCcc">Validation arousal CCC.</param>
/// <param name="IsBest">Whether the model kept this epoch's weights (until a better one came).</param>
/// <param name="FramesPerSecond">Training throughput.</param>
internal sealed record EpochMetrics(int? Fold, int Epoch, double TrainingLoss, double? ValidationMeanCcc, double? ValidationValenceCcc,
    double? ValidationArousalCcc, bool IsBest, double FramesPerSecond)
{
    /// <summary>Returns the row of one progress report of <paramref name="fold"/> (null for a single model).</summary>
    public static EpochMetrics From(SageTrainingProgress epoch, int? fold) => new(fold, epoch.Epoch, Math.Round(epoch.TrainingLoss, 6),
        epoch.Validation is { } v ? MetricsReport.Finite(v.Mean) : null,
        epoch.Validation is { } va ? MetricsReport.Finite(va.Valence) : null,
        epoch.Validation is { } vr ? MetricsReport.Finite(vr.Arousal) : null,
        epoch.IsBest, Math.Round(epoch.FramesPerSecond));
}

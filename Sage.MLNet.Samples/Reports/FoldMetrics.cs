namespace Sage.MLNet.Samples.Reports;

/// <summary>One cross-validation fold's row of <c>metrics.json</c> and of the printed fold table.</summary>
/// <param name="Fold">The fold, from 1.</param>
/// <param name="HeldOutVideos">Train videos held out of this fold's training; they chose its best epoch.</param>
/// <param name="HeldOutFrames">Frames of those videos.</param>
/// <param name="BestEpoch">The epoch whose weights the fold kept, from 1.</param>
/// <param name="HeldOutValenceCcc">Valence CCC of the kept weights on the held-out videos (optimistic: they chose the epoch).</param>
/// <param name="HeldOutArousalCcc">Arousal CCC on the held-out videos.</param>
/// <param name="HeldOutMeanCcc">The mean of the two.</param>
/// <param name="ValidationValenceCcc">Valence CCC of the kept weights on the Validation split, never trained on.</param>
/// <param name="ValidationArousalCcc">Arousal CCC on the Validation split.</param>
/// <param name="ValidationMeanCcc">The mean of the two.</param>
/// <param name="ValenceWeight">Factor on this fold's valence in the combined predictor.</param>
/// <param name="ArousalWeight">Factor on this fold's arousal in the combined predictor.</param>
internal sealed record FoldMetrics(int Fold, int HeldOutVideos, long HeldOutFrames, int BestEpoch,
    double? HeldOutValenceCcc, double? HeldOutArousalCcc, double? HeldOutMeanCcc,
    double? ValidationValenceCcc, double? ValidationArousalCcc, double? ValidationMeanCcc,
    double ValenceWeight, double ArousalWeight)
{
    /// <summary>Returns the row of one fold of the library's report.</summary>
    public static FoldMetrics From(SageFoldResult fold) => new(fold.Fold, fold.HeldOutVideos, fold.HeldOutFrames, fold.BestEpoch,
        MetricsReport.Finite(fold.HeldOut.Valence), MetricsReport.Finite(fold.HeldOut.Arousal), MetricsReport.Finite(fold.HeldOut.Mean),
        fold.Validation is { } v ? MetricsReport.Finite(v.Valence) : null,
        fold.Validation is { } va ? MetricsReport.Finite(va.Arousal) : null,
        fold.Validation is { } vm ? MetricsReport.Finite(vm.Mean) : null,
        Math.Round(fold.ValenceWeight, 6), Math.Round(fold.ArousalWeight, 6));
}

using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Reports;

/// <summary>The cross-validation part of <c>metrics.json</c>: how the folds were combined, one row per fold, and the combination's Validation CCC.</summary>
/// <param name="Selection">"target-wise" or "average".</param>
/// <param name="ValenceFold">The fold (from 1) the combined valence comes from; null for averaging.</param>
/// <param name="ArousalFold">The fold (from 1) the combined arousal comes from; null for averaging.</param>
/// <param name="CombinedValidationValenceCcc">Valence CCC of the combined predictor, as saved, on the Validation split.</param>
/// <param name="CombinedValidationArousalCcc">Arousal CCC of the combined predictor on the Validation split.</param>
/// <param name="CombinedValidationMeanCcc">The mean of the two.</param>
/// <param name="Rows">One row per fold, in fold order.</param>
internal sealed record FoldsMetrics(string Selection, int? ValenceFold, int? ArousalFold,
    double? CombinedValidationValenceCcc, double? CombinedValidationArousalCcc, double? CombinedValidationMeanCcc,
    IReadOnlyList<FoldMetrics> Rows)
{
    /// <summary>Returns the table of the library's cross-validation report.</summary>
    public static FoldsMetrics From(SageCrossValidationReport report) => new(FoldSelectionName.Of(report.Selection),
        report.ValenceFold, report.ArousalFold,
        report.Combined is { } v ? MetricsReport.Finite(v.Valence) : null,
        report.Combined is { } a ? MetricsReport.Finite(a.Arousal) : null,
        report.Combined is { } m ? MetricsReport.Finite(m.Mean) : null,
        [.. report.Folds.Select(FoldMetrics.From)]);
}

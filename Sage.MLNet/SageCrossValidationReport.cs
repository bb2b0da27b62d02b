namespace Sage.MLNet;

/// <summary>
/// The outcome of a cross-validation run, as data for a table or a JSON file: every fold's scores, which folds the
/// combined predictor uses, and the combined predictor's own scores.
/// </summary>
/// <param name="Selection">How the folds were combined.</param>
/// <param name="Folds">One row per fold, in fold order.</param>
/// <param name="ValenceFold">The fold (counted from 1) that gives the combined predictor its valence; null for <see cref="SageFoldSelection.Average"/>.</param>
/// <param name="ArousalFold">The fold (counted from 1) that gives the combined predictor its arousal; null for <see cref="SageFoldSelection.Average"/>.</param>
/// <param name="Combined">
/// CCC of the combined predictor, as served (the exported ONNX graph), on <see cref="SageCrossValidationOptions.ValidationData"/>;
/// null without it. For target-wise selection it equals the chosen folds' valence and arousal CCCs, within float rounding.
/// </param>
public sealed record SageCrossValidationReport(
    SageFoldSelection Selection,
    IReadOnlyList<SageFoldResult> Folds,
    int? ValenceFold,
    int? ArousalFold,
    CccMetrics? Combined);

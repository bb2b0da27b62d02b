using Microsoft.ML;

namespace Sage.MLNet;

/// <summary>
/// Options for <see cref="SageCrossValidationEstimator"/>: how the training videos are split into folds and how the
/// fold models are combined. Network sizes and training settings come from <see cref="SageOptions"/>.
/// </summary>
public sealed class SageCrossValidationOptions
{
    /// <summary>Folds K: each fold's model trains on the other K − 1 folds. At least 2. Default: 5.</summary>
    public int FoldCount { get; set; } = 5;

    /// <summary>How the fold models become one predictor. Default: <see cref="SageFoldSelection.TargetWise"/>.</summary>
    public SageFoldSelection Selection { get; set; } = SageFoldSelection.TargetWise;

    /// <summary>
    /// The official validation set, never trained on: every fold model is scored on it, and target-wise selection
    /// picks folds by those scores. Required for <see cref="SageFoldSelection.TargetWise"/>. Default: none.
    /// </summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>
    /// Text column that keeps videos of one subject in one fold: rows whose values are equal once a trailing
    /// "_left" or "_right" is removed (Aff-Wild2's two people of one video) form a group, and a group is never split.
    /// Null makes every row its own group. Default: "VideoId".
    /// </summary>
    public string? GroupColumnName { get; set; } = "VideoId";

    /// <summary>Seed of the assignment of groups to folds: the same seed and data give the same folds. Default: 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Receives a report after every epoch of every fold, in addition to <see cref="SageOptions.Progress"/>. Default: none.</summary>
    public IProgress<SageFoldProgress>? Progress { get; set; }

    /// <summary>Returns a shallow copy: every setting, with the same data view and progress references.</summary>
    internal SageCrossValidationOptions Copy() => (SageCrossValidationOptions)MemberwiseClone();
}

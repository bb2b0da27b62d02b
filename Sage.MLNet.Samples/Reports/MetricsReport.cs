using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Reports;

/// <summary>What <c>metrics.json</c> holds: the split's CCC, each video's, the training epochs and, for K-fold training, the folds.</summary>
/// <remarks>Written with snake_case keys: <c>valence_ccc</c>, <c>arousal_ccc</c>, <c>mean_ccc</c>, <c>frames</c>, …</remarks>
internal sealed record MetricsReport
{
    /// <summary>Gets the split the CCCs were computed on, such as "validation" or "test".</summary>
    public required string Split { get; init; }

    /// <summary>Gets the valence CCC over all annotated frames of the split.</summary>
    public required double? ValenceCcc { get; init; }

    /// <summary>Gets the arousal CCC over all annotated frames of the split.</summary>
    public required double? ArousalCcc { get; init; }

    /// <summary>Gets the mean of the two CCCs, the challenge's score.</summary>
    public required double? MeanCcc { get; init; }

    /// <summary>Gets the number of annotated frames that took part.</summary>
    public required long Frames { get; init; }

    /// <summary>Gets each video's own CCC.</summary>
    public required IReadOnlyList<VideoMetrics> Videos { get; init; }

    /// <summary>Gets each training epoch (of every fold, in fold order, for K-fold training), empty when the model was not trained in this run.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; init; } = [];

    /// <summary>Gets the cross-validation folds and their combination; null for a single model.</summary>
    public FoldsMetrics? Folds { get; init; }

    /// <summary>Gets the largest difference between a prediction of the saved model, loaded afresh from raw video, and the trained model's; null when not checked.</summary>
    public double? ReloadedMaxAbsDifference { get; init; }

    /// <summary>Gets the wall-clock time of the whole command, in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>Returns the report of an evaluation on <paramref name="split"/>.</summary>
    /// <param name="split">The scored split's name.</param>
    /// <param name="evaluation">Its CCCs.</param>
    /// <param name="epochs">One list of epochs per trained network (one, or one per fold); empty when the model was not trained in this run.</param>
    /// <param name="seconds">The command's time so far.</param>
    public static MetricsReport From(string split, SplitEvaluation evaluation, IReadOnlyList<IReadOnlyList<SageTrainingProgress>> epochs, double seconds) => new()
    {
        Split = split,
        ValenceCcc = Finite(evaluation.Overall.Valence),
        ArousalCcc = Finite(evaluation.Overall.Arousal),
        MeanCcc = Finite(evaluation.Overall.Mean),
        Frames = evaluation.Overall.FrameCount,
        Videos = [.. evaluation.Videos.Select(score => new VideoMetrics(score.Video.VideoId, score.Video.PredictedValence.Length,
            score.Metrics.FrameCount, Finite(score.Metrics.Valence), Finite(score.Metrics.Arousal), Finite(score.Metrics.Mean)))],
        Epochs = [.. epochs.SelectMany((network, index) => network.Select(epoch => EpochMetrics.From(epoch, epochs.Count > 1 ? index + 1 : null)))],
        Seconds = Math.Round(seconds, 1),
    };

    /// <summary>Returns null for NaN (a CCC over no frames, or over constant values), which JSON cannot hold.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;
}

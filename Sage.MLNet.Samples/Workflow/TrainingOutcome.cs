using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>What a training run scored and plotted.</summary>
/// <param name="Report">The contents of metrics.json, not yet written.</param>
/// <param name="Plots">The PNG files written.</param>
/// <param name="HeldOut">The held-out videos as the trained model scored them in-process.</param>
/// <param name="Weights">The TorchSharp weight files written: one, or one per fold.</param>
internal sealed record TrainingOutcome(MetricsReport Report, IReadOnlyList<string> Plots, IReadOnlyList<ScoredVideo> HeldOut, IReadOnlyList<string> Weights);

namespace Sage.MLNet.Samples.Workflow;

/// <summary>CCC over a whole split, the ABAW way (all annotated frames together), and per video.</summary>
/// <param name="Overall">The split's CCC: one value per target over all annotated frames of all videos.</param>
/// <param name="Videos">Each video's own CCC, in the order scored.</param>
internal sealed record SplitEvaluation(CccMetrics Overall, IReadOnlyList<VideoScore> Videos);

namespace Sage.MLNet.Samples.Workflow;

/// <summary>A scored video with its CCC against its labels.</summary>
/// <param name="Video">The labels and the per-frame outputs.</param>
/// <param name="Metrics">CCC over the video's annotated frames.</param>
internal sealed record VideoScore(ScoredVideo Video, CccMetrics Metrics);

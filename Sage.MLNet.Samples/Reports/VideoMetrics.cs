namespace Sage.MLNet.Samples.Reports;

/// <summary>One video's row of <c>metrics.json</c>.</summary>
/// <param name="VideoId">The video.</param>
/// <param name="Frames">Its frame count T.</param>
/// <param name="AnnotatedFrames">Its frames with both labels.</param>
/// <param name="ValenceCcc">Valence CCC over its annotated frames.</param>
/// <param name="ArousalCcc">Arousal CCC over its annotated frames.</param>
/// <param name="MeanCcc">The mean of the two.</param>
internal sealed record VideoMetrics(string VideoId, int Frames, long AnnotatedFrames, double? ValenceCcc, double? ArousalCcc, double? MeanCcc);

using Microsoft.ML;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>Runs a model over video rows one video at a time, with progress, and scores its predictions against the labels.</summary>
internal static class VideoScoring
{
    /// <summary>Returns every video of <paramref name="videos"/> with the outputs of <paramref name="model"/>.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="model">A SAGE model, alone (on featurised rows) or behind its featurizers (on raw rows).</param>
    /// <param name="videos">The rows the model takes; labels may be empty.</param>
    /// <param name="count">The number of rows, for the progress bar.</param>
    /// <param name="title">What the progress bar says.</param>
    public static IReadOnlyList<ScoredVideo> Predict(MLContext ml, ITransformer model, IDataView videos, int count, string title) =>
        ProgressDisplay.Run(title, count, step =>
        {
            var scored = new List<ScoredVideo>();
            foreach (var video in ml.Data.CreateEnumerable<ScoredVideo>(model.Transform(videos), reuseRowObject: false))
            {
                scored.Add(video);
                step.Advance(scored.Count, video.VideoId);
            }
            return scored;
        });

    /// <summary>Returns the split's CCC and each video's, through the library's <c>EvaluateCcc</c>.</summary>
    public static SplitEvaluation Evaluate(MLContext ml, IReadOnlyList<ScoredVideo> scored) => new(
        ml.Regression.EvaluateCcc(ml.Data.LoadFromEnumerable(scored)),
        [.. scored.Select(video => new VideoScore(video, ml.Regression.EvaluateCcc(ml.Data.LoadFromEnumerable([video]))))]);
}

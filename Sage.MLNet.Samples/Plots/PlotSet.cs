using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Plots;

/// <summary>Writes the plots of a run into one folder: training curves, the valence–arousal scatter and a few videos over time.</summary>
internal static class PlotSet
{
    /// <summary>Returns the paths of the PNG files written to <paramref name="folder"/>.</summary>
    /// <param name="folder">Where the plots go; created when missing.</param>
    /// <param name="splitName">The scored split, for titles.</param>
    /// <param name="videos">The scored videos; labels may be empty (then no scatter is drawn).</param>
    /// <param name="epochs">The training epochs, one list per trained network (one, or one per fold); empty when the model was not trained in this run.</param>
    /// <param name="videoPlots">How many videos to plot over time, the first ones scored.</param>
    /// <param name="stages">Unreliable stretches by video (a synthetic copy's); empty for a real copy.</param>
    public static IReadOnlyList<string> Save(string folder, string splitName, IReadOnlyList<ScoredVideo> videos,
        IReadOnlyList<IReadOnlyList<SageTrainingProgress>> epochs, int videoPlots, IReadOnlyDictionary<string, IReadOnlyList<UnreliableStage>> stages)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (epochs.Count > 0)
        {
            written.Add(Path.Combine(folder, "training-curves.png"));
            TrainingCurvesPlot.Save(written[^1], epochs);
        }
        var labelled = videos.Where(video => video.Valence.Length == video.PredictedValence.Length).ToArray();
        if (labelled.Length > 0)
        {
            written.Add(Path.Combine(folder, "valence-arousal.png"));
            ValenceArousalScatterPlot.Save(written[^1], $"{splitName} split, {labelled.Length} videos",
                labelled.SelectMany(video => Enumerable.Range(0, video.Valence.Length)
                    .Select(t => (video.Valence[t], video.Arousal[t], video.PredictedValence[t], video.PredictedArousal[t]))));
        }
        foreach (var video in videos.Take(videoPlots))
        {
            written.Add(Path.Combine(folder, $"video-{PlotFile.SafeName(video.VideoId)}.png"));
            VideoTracePlot.Save(written[^1], video.VideoId, video.Valence, video.Arousal,
                video.PredictedValence, video.PredictedArousal, video.Reliability, stages.GetValueOrDefault(video.VideoId, []));
        }
        return written;
    }
}

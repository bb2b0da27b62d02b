using ScottPlot;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Plots;

/// <summary>
/// One video over time: predicted against annotated valence, the same for arousal, and under them the reliability
/// weight the fusion gave each frame (1 = the clip's average frame), over shaded stretches where a synthetic video's
/// face or audio was made unreliable, which is where SAGE should shift its weight.
/// </summary>
internal static class VideoTracePlot
{
    /// <summary>Writes the plot of one video to <paramref name="path"/> as PNG.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="videoId">The video, for the title.</param>
    /// <param name="valence">Annotated valence, T values (−5 = not annotated); empty when the video has no labels.</param>
    /// <param name="arousal">Annotated arousal, T values; empty when the video has no labels.</param>
    /// <param name="predictedValence">Predicted valence, T values.</param>
    /// <param name="predictedArousal">Predicted arousal, T values.</param>
    /// <param name="reliability">Fusion weight per frame, T values.</param>
    /// <param name="stages">The video's unreliable stretches; empty for a real video.</param>
    public static void Save(string path, string videoId, float[] valence, float[] arousal,
        float[] predictedValence, float[] predictedArousal, float[] reliability, IReadOnlyList<UnreliableStage> stages)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        var frames = Enumerable.Range(0, predictedValence.Length).Select(t => (double)t).ToArray();
        AddTarget(multiplot.GetPlot(0), $"{videoId}: valence", frames, valence, predictedValence);
        AddTarget(multiplot.GetPlot(1), "arousal", frames, arousal, predictedArousal);

        var weights = multiplot.GetPlot(2);
        foreach (var stage in stages)
        {
            var span = weights.Add.HorizontalSpan(stage.FirstFrame - 0.5, stage.LastFrame + 0.5,
                (stage.Modality == "face" ? Colors.RoyalBlue : Colors.Orange).WithAlpha(0.2));
            span.LegendText = "";
            var label = weights.Add.Text($"{stage.Modality} {stage.Condition}", stage.FirstFrame, 0);
            label.LabelFontSize = 11;
        }
        var line = weights.Add.ScatterLine(frames, reliability.Select(r => (double)r).ToArray(), Colors.DarkGreen);
        line.LegendText = "reliability weight";
        weights.Add.HorizontalLine(1, 1, Colors.Gray, LinePattern.Dotted);
        weights.XLabel("frame");
        weights.YLabel("weight");
        weights.ShowLegend(Alignment.UpperRight);
        multiplot.SharedAxes.ShareX([multiplot.GetPlot(0), multiplot.GetPlot(1), weights]);
        multiplot.SavePng(path, PlotFile.Width, 900);
    }

    private static void AddTarget(Plot plot, string title, double[] frames, float[] truth, float[] predicted)
    {
        // Annotated stretches only: a −5 frame breaks the line instead of dragging it to −5.
        var first = true;
        foreach (var (start, length) in AnnotatedRuns(truth))
        {
            var line = plot.Add.ScatterLine(frames[start..(start + length)], truth[start..(start + length)].Select(v => (double)v).ToArray(), Colors.Black);
            line.LegendText = first ? "annotated" : "";
            first = false;
        }
        var prediction = plot.Add.ScatterLine(frames, predicted.Select(v => (double)v).ToArray(), Colors.OrangeRed);
        prediction.LegendText = "predicted";
        plot.Axes.SetLimitsY(-1.05, 1.05);
        plot.Title(title);
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static IEnumerable<(int Start, int Length)> AnnotatedRuns(float[] labels)
    {
        var start = -1;
        for (var t = 0; t <= labels.Length; t++)
        {
            var annotated = t < labels.Length && labels[t] != SageLabels.NotAnnotated;
            if (annotated && start < 0)
            {
                start = t;
            }
            else if (!annotated && start >= 0)
            {
                yield return (start, t - start);
                start = -1;
            }
        }
    }
}

using ScottPlot;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Plots;

/// <summary>
/// One predicted video over time in seconds: valence and arousal in the upper panel, the fusion's reliability weight in the
/// lower one, with the stretches where no face was found shaded in both.
/// </summary>
internal static class PredictionTimePlot
{
    /// <summary>Writes the plot of <paramref name="prediction"/> to <paramref name="path"/> as PNG.</summary>
    public static void Save(string path, VideoPrediction prediction)
    {
        var frames = prediction.Frames;
        var times = frames.Select(f => f.Time).ToArray();
        var frameSeconds = frames.Count > 0 ? prediction.Seconds / frames.Count : 0;
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);

        var values = multiplot.GetPlot(0);
        ShadeFacelessFrames(values, frames, frameSeconds);
        values.Add.ScatterLine(times, frames.Select(f => (double)f.Valence).ToArray(), Colors.OrangeRed).LegendText = "valence";
        values.Add.ScatterLine(times, frames.Select(f => (double)f.Arousal).ToArray(), Colors.RoyalBlue).LegendText = "arousal";
        values.Axes.SetLimitsY(-1.05, 1.05);
        values.Title($"{prediction.VideoId}: {frames.Count} frames, face found in {prediction.FaceFrames}");
        values.YLabel("predicted");
        values.ShowLegend(Alignment.UpperRight);

        var weights = multiplot.GetPlot(1);
        ShadeFacelessFrames(weights, frames, frameSeconds);
        weights.Add.ScatterLine(times, frames.Select(f => (double)f.Reliability).ToArray(), Colors.DarkGreen).LegendText = "reliability weight";
        weights.Add.HorizontalLine(1, 1, Colors.Gray, LinePattern.Dotted);
        weights.XLabel("time (s)");
        weights.YLabel("weight");
        weights.ShowLegend(Alignment.UpperRight);

        multiplot.SharedAxes.ShareX([values, weights]);
        multiplot.SavePng(path, PlotFile.Width, 700);
    }

    private static void ShadeFacelessFrames(Plot plot, IReadOnlyList<FramePrediction> frames, double frameSeconds)
    {
        var first = true;
        for (var start = 0; start < frames.Count; start++)
        {
            if (frames[start].Face)
            {
                continue;
            }
            var end = start;
            while (end + 1 < frames.Count && !frames[end + 1].Face)
            {
                end++;
            }
            var span = plot.Add.HorizontalSpan(frames[start].Time, frames[end].Time + frameSeconds, Colors.Gray.WithAlpha(0.2));
            span.LegendText = first ? "no face" : "";
            first = false;
            start = end;
        }
    }
}

using ScottPlot;

namespace Sage.MLNet.Samples.Plots;

/// <summary>The valence–arousal plane: every annotated frame at its labels and at its prediction, so a collapsed or shifted model shows at a glance.</summary>
internal static class ValenceArousalScatterPlot
{
    /// <summary>Writes the plot to <paramref name="path"/> as PNG; frames where either label is −5 are left out.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="title">What the points are, such as "test split, 4 videos".</param>
    /// <param name="frames">Every frame's annotated and predicted valence and arousal.</param>
    public static void Save(string path, string title,
        IEnumerable<(float Valence, float Arousal, float PredictedValence, float PredictedArousal)> frames)
    {
        var annotated = frames.Where(f => SageLabels.IsAnnotated(f.Valence, f.Arousal)).ToArray();
        var plot = new Plot();
        var truth = plot.Add.ScatterPoints(annotated.Select(f => (double)f.Valence).ToArray(), annotated.Select(f => (double)f.Arousal).ToArray(), Colors.Black.WithAlpha(0.25));
        truth.MarkerSize = 3;
        truth.LegendText = "annotated";
        var predicted = plot.Add.ScatterPoints(annotated.Select(f => (double)f.PredictedValence).ToArray(), annotated.Select(f => (double)f.PredictedArousal).ToArray(), Colors.OrangeRed.WithAlpha(0.35));
        predicted.MarkerSize = 3;
        predicted.LegendText = "predicted";
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dotted);
        plot.Add.VerticalLine(0, 1, Colors.Gray, LinePattern.Dotted);
        plot.Axes.SetLimits(-1.05, 1.05, -1.05, 1.05);
        plot.Axes.SquareUnits();
        plot.XLabel("valence");
        plot.YLabel("arousal");
        plot.Title($"Valence-arousal: {title} ({annotated.Length:N0} annotated frames)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 800, 800);
    }
}

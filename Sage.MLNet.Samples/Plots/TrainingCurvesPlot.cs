using ScottPlot;

namespace Sage.MLNet.Samples.Plots;

/// <summary>Training curves: the loss per epoch above, the validation CCC per epoch below, the kept epoch marked.</summary>
internal static class TrainingCurvesPlot
{
    /// <summary>Writes the curves of <paramref name="epochs"/> to <paramref name="path"/> as PNG.</summary>
    public static void Save(string path, IReadOnlyList<SageTrainingProgress> epochs)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var x = epochs.Select(e => (double)e.Epoch).ToArray();

        var loss = multiplot.GetPlot(0);
        var lossLine = loss.Add.Scatter(x, epochs.Select(e => e.TrainingLoss).ToArray(), Colors.Black);
        lossLine.LegendText = "training loss (1 - CCC)";
        loss.Title("Training");
        loss.YLabel("loss");
        loss.ShowLegend(Alignment.UpperRight);

        var ccc = multiplot.GetPlot(1);
        var validated = epochs.Where(e => e.Validation is not null).ToArray();
        if (validated.Length > 0)
        {
            var vx = validated.Select(e => (double)e.Epoch).ToArray();
            AddCurve(ccc, vx, validated.Select(e => e.Validation!.Valence), "validation valence CCC", Colors.RoyalBlue);
            AddCurve(ccc, vx, validated.Select(e => e.Validation!.Arousal), "validation arousal CCC", Colors.OrangeRed);
            AddCurve(ccc, vx, validated.Select(e => e.Validation!.Mean), "validation mean CCC", Colors.Black);
            if (epochs.LastOrDefault(e => e.IsBest) is { } kept)
            {
                ccc.Add.VerticalLine(kept.Epoch, 1, Colors.Gray, LinePattern.Dashed).LegendText = $"kept: epoch {kept.Epoch}";
            }
        }
        ccc.XLabel("epoch");
        ccc.YLabel("CCC");
        ccc.ShowLegend(Alignment.LowerRight);
        multiplot.SharedAxes.ShareX([loss, ccc]);
        multiplot.SavePng(path, PlotFile.Width, 800);
    }

    private static void AddCurve(Plot plot, double[] x, IEnumerable<double> y, string label, Color color) =>
        plot.Add.Scatter(x, y.Select(v => double.IsFinite(v) ? v : 0).ToArray(), color).LegendText = label;
}

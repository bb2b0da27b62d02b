using ScottPlot;

namespace Sage.MLNet.Samples.Plots;

/// <summary>
/// Training curves: the loss per epoch above, the CCC that chooses the kept epoch below, the kept epoch marked. One model shows
/// its validation valence, arousal and mean CCC; K fold models show one loss and one held-out mean CCC curve per fold.
/// </summary>
internal static class TrainingCurvesPlot
{
    private static readonly Color[] s_foldColors = [Colors.RoyalBlue, Colors.OrangeRed, Colors.SeaGreen, Colors.DarkViolet, Colors.DarkGoldenRod, Colors.SaddleBrown];

    /// <summary>Writes the curves of <paramref name="networks"/> (one list of epochs per trained network) to <paramref name="path"/> as PNG.</summary>
    public static void Save(string path, IReadOnlyList<IReadOnlyList<SageTrainingProgress>> networks)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var loss = multiplot.GetPlot(0);
        var ccc = multiplot.GetPlot(1);
        if (networks.Count == 1)
        {
            AddModel(loss, ccc, networks[0]);
        }
        else
        {
            for (var fold = 0; fold < networks.Count; fold++)
            {
                AddFold(loss, ccc, networks[fold], fold + 1, s_foldColors[fold % s_foldColors.Length]);
            }
        }
        loss.Title("Training");
        loss.YLabel("loss");
        loss.ShowLegend(Alignment.UpperRight);
        ccc.XLabel("epoch");
        ccc.YLabel("CCC");
        ccc.ShowLegend(Alignment.LowerRight);
        multiplot.SharedAxes.ShareX([loss, ccc]);
        multiplot.SavePng(path, PlotFile.Width, 800);
    }

    private static void AddModel(Plot loss, Plot ccc, IReadOnlyList<SageTrainingProgress> epochs)
    {
        AddCurve(loss, epochs, e => e.TrainingLoss, "training loss (1 - CCC)", Colors.Black);
        var validated = epochs.Where(e => e.Validation is not null).ToArray();
        if (validated.Length > 0)
        {
            AddCurve(ccc, validated, e => e.Validation!.Valence, "validation valence CCC", Colors.RoyalBlue);
            AddCurve(ccc, validated, e => e.Validation!.Arousal, "validation arousal CCC", Colors.OrangeRed);
            AddCurve(ccc, validated, e => e.Validation!.Mean, "validation mean CCC", Colors.Black);
            if (epochs.LastOrDefault(e => e.IsBest) is { } kept)
            {
                ccc.Add.VerticalLine(kept.Epoch, 1, Colors.Gray, LinePattern.Dashed).LegendText = $"kept: epoch {kept.Epoch}";
            }
        }
    }

    private static void AddFold(Plot loss, Plot ccc, IReadOnlyList<SageTrainingProgress> epochs, int fold, Color color)
    {
        AddCurve(loss, epochs, e => e.TrainingLoss, $"fold {fold} training loss", color);
        var validated = epochs.Where(e => e.Validation is not null).ToArray();
        if (validated.Length > 0)
        {
            var kept = epochs.LastOrDefault(e => e.IsBest);
            AddCurve(ccc, validated, e => e.Validation!.Mean, $"fold {fold} held-out mean CCC{(kept is null ? "" : $" (kept epoch {kept.Epoch})")}", color);
            if (kept?.Validation is { } best)
            {
                ccc.Add.Marker(kept.Epoch, double.IsFinite(best.Mean) ? best.Mean : 0, MarkerShape.OpenCircle, 12, color);
            }
        }
    }

    private static void AddCurve(Plot plot, IReadOnlyList<SageTrainingProgress> epochs, Func<SageTrainingProgress, double> y, string label, Color color) =>
        plot.Add.Scatter(epochs.Select(e => (double)e.Epoch).ToArray(), epochs.Select(e => y(e) is var v && double.IsFinite(v) ? v : 0).ToArray(), color)
            .LegendText = label;
}

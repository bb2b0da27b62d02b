using ScottPlot;
using Sage.MLNet.Samples.Plots;

namespace Sage.MLNet.Samples.Robustness;

/// <summary>The robustness run's PNG plots: mean CCC against the corrupted share per corruption, and one video's weights over time per corruption.</summary>
internal static class RobustnessPlots
{
    private static readonly Color[] s_colors = [Colors.Black, Colors.RoyalBlue, Colors.OrangeRed, Colors.ForestGreen];

    /// <summary>Writes every plot into <paramref name="folder"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Save(string folder, SageRobustnessReport report)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var variants = report.Results.Select(r => r.Variant).Distinct().ToList();
        var corruptions = report.Results.Select(r => r.Corruption).Where(c => c != SageRobustness.Clean && c != SageRobustness.SyntheticStages).Distinct().ToList();
        foreach (var corruption in corruptions)
        {
            var path = Path.Combine(folder, $"ccc-{corruption}.png");
            SaveCcc(path, report, corruption, variants);
            written.Add(path);
        }
        foreach (var corruption in report.Traces.Select(t => t.Corruption).Where(c => c != SageRobustness.Clean).Distinct())
        {
            // The level nearest half the video: both corrupted and clean stretches to compare.
            var level = report.Traces.Where(t => t.Corruption == corruption).Select(t => t.Level).MinBy(l => Math.Abs(l - 0.5));
            var path = Path.Combine(folder, $"weights-{corruption}.png");
            SaveWeights(path, report.Traces.Where(t => t.Corruption == corruption && t.Level == level).ToList(), corruption, level);
            written.Add(path);
        }
        return written;
    }

    private static void SaveCcc(string path, SageRobustnessReport report, string corruption, List<SageFusion> variants)
    {
        var plot = new Plot();
        for (var i = 0; i < variants.Count; i++)
        {
            var points = report.Results.Where(r => r.Variant == variants[i] && (r.Corruption == corruption || r.Corruption == SageRobustness.Clean))
                .OrderBy(r => r.Level).ToList();
            var xs = points.Select(p => p.Level * 100).ToArray();
            var ys = points.Select(p => p.MeanCcc.Mean).ToArray();
            var color = s_colors[i % s_colors.Length];
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = variants[i].ToString();
            var bars = plot.Add.ErrorBar(xs, ys, points.Select(p => p.MeanCcc.StandardDeviation).ToArray());
            bars.Color = color;
        }
        plot.Title($"Mean CCC under {corruption} (mean ± sd over seeds)");
        plot.XLabel("share of each video corrupted (%)");
        plot.YLabel("mean CCC");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, PlotFile.Width, 700);
    }

    private static void SaveWeights(string path, IReadOnlyList<SageRobustnessTrace> traces, string corruption, double level)
    {
        var plot = new Plot();
        var first = traces[0];
        foreach (var stretch in first.Stretches)
        {
            plot.Add.HorizontalSpan(stretch.FirstFrame - 0.5, stretch.LastFrame + 0.5,
                (stretch.Modality == SageModality.Visual ? Colors.RoyalBlue : Colors.Orange).WithAlpha(0.15)).LegendText = "";
        }
        var modality = first.Stretches.Select(s => s.Modality).Distinct().ToList();
        for (var i = 0; i < traces.Count; i++)
        {
            var trace = traces[i];
            // The weight of the corrupted modality where the variant has one, else its frame weight.
            var (weights, which) = modality is [SageModality.Visual] && trace.VisualReliability is { } v ? (v, "visual")
                : modality is [SageModality.Audio] && trace.AudioReliability is { } a ? (a, "audio")
                : (trace.Reliability, "frame");
            var frames = Enumerable.Range(0, weights.Count).Select(t => (double)t).ToArray();
            var line = plot.Add.ScatterLine(frames, weights.Select(w => (double)w).ToArray(), s_colors[i % s_colors.Length]);
            line.LegendText = $"{trace.Variant} ({which} weight)";
        }
        plot.Add.HorizontalLine(1, 1, Colors.Gray, LinePattern.Dotted);
        plot.Title($"{first.VideoId}: weights under {corruption} over {level:P0} (shaded: corrupted; first seed)");
        plot.XLabel("frame");
        plot.YLabel("weight (1 = average frame)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, PlotFile.Width, 600);
    }
}

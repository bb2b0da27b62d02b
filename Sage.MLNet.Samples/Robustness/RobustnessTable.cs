using System.Globalization;
using System.Text;

namespace Sage.MLNet.Samples.Robustness;

/// <summary>Formats the report as two plain-text tables: mean CCC, then weight AUROC, one row per corruption and level, one column per variant.</summary>
internal static class RobustnessTable
{
    /// <summary>Returns the tables as text (also valid Markdown).</summary>
    public static string Format(SageRobustnessReport report)
    {
        var variants = report.Results.Select(r => r.Variant).Distinct().ToList();
        var rows = report.Results.Select(r => (r.Corruption, r.Level)).Distinct().ToList();
        var text = new StringBuilder();
        // The synthetic stages are in the clean videos already: their CCC is the clean row's, so only their AUROC is shown.
        Table(text, "Mean CCC (valence and arousal), mean ± sd over seeds", variants, [.. rows.Where(row => row.Corruption != SageRobustness.SyntheticStages)], r => r.MeanCcc.ToString());
        text.AppendLine();
        Table(text, "AUROC of 'corrupted' against the weight given to the corrupted modality (0.5 = chance)", variants,
            rows.Where(row => report.Results.Any(r => r.Corruption == row.Corruption && r.Level == row.Level && (r.VisualAuroc ?? r.AudioAuroc) is not null)).ToList(),
            r => (r.VisualAuroc, r.AudioAuroc) switch
            {
                ({ } v, { } a) => $"face {v} / audio {a}",
                ({ } v, null) => v.ToString(),
                (null, { } a) => a.ToString(),
                _ => "n/a",
            });
        return text.ToString();

        void Table(StringBuilder builder, string title, List<SageFusion> columns, List<(string Corruption, double Level)> lines, Func<SageRobustnessResult, string> cell)
        {
            builder.AppendLine(title).AppendLine();
            builder.Append("| corruption | share |");
            columns.ForEach(v => builder.Append(CultureInfo.InvariantCulture, $" {v} |"));
            builder.AppendLine().Append("|---|---|");
            columns.ForEach(_ => builder.Append("---|"));
            builder.AppendLine();
            foreach (var (corruption, level) in lines)
            {
                builder.Append(CultureInfo.InvariantCulture, $"| {corruption} | {level:0.##} |");
                foreach (var variant in columns)
                {
                    var result = report.Results.Single(r => r.Variant == variant && r.Corruption == corruption && r.Level == level);
                    builder.Append(CultureInfo.InvariantCulture, $" {cell(result)} |");
                }
                builder.AppendLine();
            }
        }
    }
}

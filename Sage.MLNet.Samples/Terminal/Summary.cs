using System.Globalization;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Terminal;

/// <summary>The short summary a command prints at its end: the scores, then where each file went.</summary>
internal static class Summary
{
    /// <summary>Prints <paramref name="report"/>'s fold table and CCCs (when it has them), each labelled path, and the elapsed time.</summary>
    public static void Print(string done, MetricsReport? report, IEnumerable<(string Label, string Path)> files, TimeSpan elapsed)
    {
        if (report?.Folds is { } folds)
        {
            FoldTable.Print(folds);
        }
        Console.WriteLine();
        Console.WriteLine($"{done} in {elapsed.TotalSeconds:F0} s.");
        if (report is not null)
        {
            Console.WriteLine($"  {report.Split} CCC: valence {Format(report.ValenceCcc)}, arousal {Format(report.ArousalCcc)}, " +
                $"mean {Format(report.MeanCcc)} over {report.Frames:N0} annotated frames of {report.Videos.Count} videos");
        }
        foreach (var (label, path) in files)
        {
            Console.WriteLine($"  {label,-10} {path}");
        }
    }

    /// <summary>Returns a CCC with four decimals, or "n/a" for none.</summary>
    public static string Format(double? ccc) => ccc is { } value ? value.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}

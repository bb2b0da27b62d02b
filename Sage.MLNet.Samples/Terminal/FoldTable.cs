using System.Globalization;
using Sage.MLNet.Samples.Reports;
using Spectre.Console;

namespace Sage.MLNet.Samples.Terminal;

/// <summary>
/// Prints the cross-validation table: one row per fold and one for the combination, as a Spectre table in a terminal or plain
/// columns in a log. V and A are the valence and arousal CCCs.
/// </summary>
internal static class FoldTable
{
    private static readonly string[] s_headers =
        ["fold", "held-out videos", "frames", "best epoch", "held-out V", "held-out A", "held-out mean",
         "validation V", "validation A", "validation mean", "weight V", "weight A"];

    /// <summary>Prints <paramref name="folds"/>, the chosen folds marked, and the combined predictor's Validation CCC.</summary>
    public static void Print(FoldsMetrics folds)
    {
        var rows = folds.Rows.Select(Cells).Append(
            [$"combined ({folds.Selection})", "", "", "", "", "", "",
             Summary.Format(folds.CombinedValidationValenceCcc), Summary.Format(folds.CombinedValidationArousalCcc),
             Summary.Format(folds.CombinedValidationMeanCcc), "", ""]).ToArray();
        Console.WriteLine();
        if (ProgressDisplay.IsInteractive)
        {
            var table = new Table().Title("Cross-validation folds");
            foreach (var header in s_headers)
            {
                table.AddColumn(header == s_headers[0] ? new TableColumn(header) : new TableColumn(header).RightAligned());
            }
            foreach (var row in rows)
            {
                table.AddRow([.. row.Select(Markup.Escape)]);
            }
            AnsiConsole.Write(table);
        }
        else
        {
            var widths = s_headers.Select((header, column) => rows.Max(row => row[column].Length) is var cells && cells > header.Length ? cells : header.Length).ToArray();
            Console.WriteLine("Cross-validation folds");
            foreach (var row in rows.Prepend(s_headers))
            {
                Console.WriteLine("  " + string.Join("  ", row.Select((cell, column) => column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column]))).TrimEnd());
            }
        }
        if (folds.ValenceFold is { } valence && folds.ArousalFold is { } arousal)
        {
            Console.WriteLine($"  valence from fold {valence}, arousal from fold {arousal} (best on Validation)");
        }
    }

    private static string[] Cells(FoldMetrics fold) =>
    [
        fold.Fold.ToString(CultureInfo.InvariantCulture), fold.HeldOutVideos.ToString(CultureInfo.InvariantCulture), fold.HeldOutFrames.ToString("N0", CultureInfo.InvariantCulture), fold.BestEpoch.ToString(CultureInfo.InvariantCulture),
        Summary.Format(fold.HeldOutValenceCcc), Summary.Format(fold.HeldOutArousalCcc), Summary.Format(fold.HeldOutMeanCcc),
        Summary.Format(fold.ValidationValenceCcc), Summary.Format(fold.ValidationArousalCcc), Summary.Format(fold.ValidationMeanCcc),
        fold.ValenceWeight.ToString("0.###", CultureInfo.InvariantCulture), fold.ArousalWeight.ToString("0.###", CultureInfo.InvariantCulture),
    ];
}

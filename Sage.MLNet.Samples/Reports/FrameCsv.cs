using System.Globalization;
using System.Text;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Reports;

/// <summary>
/// The per-frame table that <c>predict</c> writes and <c>serve</c> answers with <c>Accept: text/csv</c>:
/// <c>frame,time,valence,arousal,reliability,face</c>, one line per frame, numbers in their shortest round-trip form.
/// </summary>
internal static class FrameCsv
{
    /// <summary>The first line of the table.</summary>
    public const string Header = "frame,time,valence,arousal,reliability,face";

    /// <summary>Returns the whole table of <paramref name="frames"/>, lines ending in '\n'.</summary>
    public static string Text(IEnumerable<FramePrediction> frames)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var f in frames)
        {
            text.Append(CultureInfo.InvariantCulture, $"{f.Frame},{f.Time:R},{f.Valence:R},{f.Arousal:R},{f.Reliability:R},{(f.Face ? 1 : 0)}\n");
        }
        return text.ToString();
    }

    /// <summary>Writes the table of <paramref name="frames"/> to <paramref name="path"/> whole or not at all (a temporary file renamed).</summary>
    public static void Write(string path, IEnumerable<FramePrediction> frames)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Text(frames));
        File.Move(temporary, path, overwrite: true);
    }
}

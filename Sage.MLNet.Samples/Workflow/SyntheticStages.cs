using System.Globalization;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>Reads a synthetic copy's <c>synthetic_reliability.csv</c>, so plots can show where a modality was unreliable.</summary>
internal static class SyntheticStages
{
    /// <summary>Returns each video's unreliable stretches; empty for a copy without the side file, such as a real one.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<UnreliableStage>> Read(string root)
    {
        var path = Path.Combine(root, SageMediaCorruption.SyntheticStagesFileName);
        if (!File.Exists(path))
        {
            return new Dictionary<string, IReadOnlyList<UnreliableStage>>();
        }
        // video,first_frame,last_frame,unreliable_modality,condition
        return File.ReadLines(path).Skip(1).Where(line => line.Length > 0)
            .Select((line, index) => (Columns: line.Split(','), Line: index + 2))
            .Select(row => row.Columns.Length == 5
                ? (Video: row.Columns[0], Stage: new UnreliableStage(Frame(row.Columns[1], path, row.Line), Frame(row.Columns[2], path, row.Line), row.Columns[3], row.Columns[4]))
                : throw new InvalidDataException($"'{path}' line {row.Line}: expected 5 columns, got {row.Columns.Length}"))
            .GroupBy(row => row.Video, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => (IReadOnlyList<UnreliableStage>)[.. group.Select(row => row.Stage)], StringComparer.Ordinal);
    }

    private static int Frame(string text, string path, int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var frame)
            ? frame
            : throw new InvalidDataException($"'{path}' line {line}: '{text}' is not a frame number");
}

using System.Globalization;
using System.Text;

namespace Sage.MLNet.Evaluation.Corruption;

/// <summary>
/// Reads and writes the ground truth of corrupted stretches in the synthetic copy's format,
/// <c>video,first_frame,last_frame,unreliable_modality,condition</c> (frames from 0, both ends included, modality face or audio).
/// </summary>
internal static class GroundTruthFile
{
    /// <summary>The header line.</summary>
    public const string Header = "video,first_frame,last_frame,unreliable_modality,condition";

    /// <summary>Writes <paramref name="stretches"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Write(string path, IEnumerable<SageCorruptedStretch> stretches)
    {
        var text = new StringBuilder().AppendLine(Header);
        foreach (var stretch in stretches)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{stretch.VideoId},{stretch.FirstFrame},{stretch.LastFrame},{ModalityName(stretch.Modality)},{stretch.Condition}");
        }
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Returns the stretches listed in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file, the line and the value.</exception>
    public static IReadOnlyList<SageCorruptedStretch> Read(string path)
    {
        var stretches = new List<SageCorruptedStretch>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue;
            }
            var columns = line.Split(',');
            if (columns.Length != 5)
            {
                throw new InvalidDataException($"'{path}' line {lineNumber}: expected 5 columns ({Header}), got {columns.Length}");
            }
            var modality = columns[3] switch
            {
                "face" => SageModality.Visual,
                "audio" => SageModality.Audio,
                _ => throw new InvalidDataException($"'{path}' line {lineNumber}: modality '{columns[3]}' is neither face nor audio"),
            };
            stretches.Add(new SageCorruptedStretch(columns[0], Frame(columns[1], path, lineNumber), Frame(columns[2], path, lineNumber), modality, columns[4]));
        }
        return stretches;
    }

    /// <summary>Returns the file's name for <paramref name="modality"/>: face or audio.</summary>
    public static string ModalityName(SageModality modality) => modality == SageModality.Visual ? "face" : "audio";

    private static int Frame(string text, string path, int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var frame)
            ? frame
            : throw new InvalidDataException($"'{path}' line {line}: '{text}' is not a frame number");
}

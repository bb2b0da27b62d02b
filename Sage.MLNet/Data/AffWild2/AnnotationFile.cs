using System.Globalization;

namespace Sage.MLNet.Data.AffWild2;

/// <summary>
/// One Aff-Wild2 valence-arousal annotation file, <c>&lt;video&gt;.txt</c>: the header <c>valence,arousal</c>,
/// then one line per frame (line i + 2 is frame i, frames counted from 0), −5 where a frame was not annotated.
/// </summary>
internal sealed class AnnotationFile
{
    public const string Header = "valence,arousal";

    private AnnotationFile(string path, float[] valence, float[] arousal, IReadOnlyList<AnnotationProblem> problems)
    {
        Path = path;
        Valence = valence;
        Arousal = arousal;
        Problems = problems;
    }

    public string Path { get; }

    /// <summary>T valence values; meaningful only when <see cref="Problems"/> is empty.</summary>
    public float[] Valence { get; }

    /// <summary>T arousal values; meaningful only when <see cref="Problems"/> is empty.</summary>
    public float[] Arousal { get; }

    /// <summary>T, the number of frame rows, malformed ones included.</summary>
    public int Rows => Valence.Length;

    /// <summary>Every malformed line, in file order; empty for a good file.</summary>
    public IReadOnlyList<AnnotationProblem> Problems { get; }

    /// <summary>Reads and checks the whole file; never throws for bad content, only for a file that cannot be read.</summary>
    public static AnnotationFile Read(string path)
    {
        var valence = new List<float>();
        var arousal = new List<float>();
        var problems = new List<AnnotationProblem>();
        var lineNumber = 0;
        var firstBlankLine = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (!IsHeader(line))
                {
                    problems.Add(new(1, $"expected the header '{Header}', found '{line}'"));
                }
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                firstBlankLine = firstBlankLine == 0 ? lineNumber : firstBlankLine;
                continue;
            }
            if (firstBlankLine != 0)
            {
                // Blank lines end a file harmlessly; inside it they would shift every later frame.
                problems.Add(new(firstBlankLine, "is empty but frame rows follow; every frame needs its own row"));
                firstBlankLine = 0;
            }
            var (v, a, problem) = ParseRow(line);
            if (problem is not null)
            {
                problems.Add(new(lineNumber, problem));
            }
            valence.Add(v);
            arousal.Add(a);
        }
        if (lineNumber == 0)
        {
            problems.Add(new(1, $"the file is empty; expected the header '{Header}' and one row per frame"));
        }
        else if (valence.Count == 0 && problems.Count == 0)
        {
            problems.Add(new(1, "has the header but no frame rows"));
        }
        return new AnnotationFile(path, [.. valence], [.. arousal], problems);
    }

    /// <summary>Throws for the first malformed line, naming the file and the line.</summary>
    /// <exception cref="InvalidDataException">The file has a malformed line.</exception>
    public void ThrowIfMalformed()
    {
        if (Problems.Count == 0)
        {
            return;
        }
        var first = Problems[0];
        var more = Problems.Count > 1 ? $" ({Problems.Count - 1} more malformed lines in this file)" : "";
        throw new InvalidDataException($"{Describe(first)}{more}");
    }

    /// <summary>Returns how messages name a problem: the file, the line and what is wrong.</summary>
    public string Describe(AnnotationProblem problem) => $"annotation file '{Path}', line {problem.Line}: {problem.Message}";

    private static bool IsHeader(string line)
    {
        var names = line.Split(',');
        return names.Length == 2
            && names[0].Trim().Equals("valence", StringComparison.OrdinalIgnoreCase)
            && names[1].Trim().Equals("arousal", StringComparison.OrdinalIgnoreCase);
    }

    private static (float Valence, float Arousal, string? Problem) ParseRow(string line)
    {
        var values = line.Split(',');
        if (values.Length != 2)
        {
            return (float.NaN, float.NaN, $"'{line}' has {values.Length} values; expected 2 ({Header})");
        }
        var valence = ParseValue(values[0], "valence", out var valenceProblem);
        var arousal = ParseValue(values[1], "arousal", out var arousalProblem);
        return (valence, arousal, valenceProblem ?? arousalProblem);
    }

    private static float ParseValue(string text, string name, out string? problem)
    {
        if (!float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            problem = $"{name} '{text.Trim()}' is not a number";
            return float.NaN;
        }
        problem = float.IsNaN(value) ? $"{name} is NaN"
            : value == SageLabels.NotAnnotated || Math.Abs(value) <= 1 ? null
            : $"{name} {value.ToString(CultureInfo.InvariantCulture)} is outside [-1, 1] and is not -5 (not annotated)";
        return value;
    }
}

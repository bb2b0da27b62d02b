namespace Sage.MLNet.Data.AffWild2;

/// <summary>
/// The challenge's list of test videos, <c>Valence_Arousal_Estimation_Challenge_test_set_release.txt</c>:
/// one video name per line, no labels.
/// </summary>
internal static class TestVideoList
{
    public const string FolderName = "names_of_videos_in_each_test_set";
    public const string FileName = "Valence_Arousal_Estimation_Challenge_test_set_release.txt";

    /// <summary>Returns the names in file order, without blank lines, repeats or a header.</summary>
    /// <remarks>
    /// The first line is taken for a header when it has no digit or has a space or comma: every
    /// Aff-Wild2 video name has a digit and neither (<c>video59_right</c>, <c>10-60-1280x720</c>).
    /// </remarks>
    public static IReadOnlyList<string> Read(string path)
    {
        var names = File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToList();
        if (names.Count > 0 && IsHeader(names[0]))
        {
            names.RemoveAt(0);
        }
        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool IsHeader(string line) => !line.Any(char.IsAsciiDigit) || line.Any(c => char.IsWhiteSpace(c) || c == ',');
}

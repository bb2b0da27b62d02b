using System.Globalization;

namespace Sage.MLNet.Data.AffWild2;

/// <summary>
/// One video's face crops, <c>cropped_aligned/&lt;video&gt;/00001.jpg</c> and on: file n holds annotation frame
/// n − 1, and numbers are missing where no face was found.
/// </summary>
internal static class FaceCropFolder
{
    private static readonly EnumerationOptions s_jpegFiles = new() { MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true };

    /// <summary>Returns the highest crop file number in <paramref name="folder"/>, which is the last frame with a face plus one; 0 when there is no crop.</summary>
    public static int HighestIndex(string folder) =>
        Directory.EnumerateFiles(folder, "*.jpg", s_jpegFiles)
            .Select(file => int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
}

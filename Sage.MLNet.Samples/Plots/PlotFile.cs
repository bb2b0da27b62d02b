namespace Sage.MLNet.Samples.Plots;

/// <summary>Sizes and names shared by the PNG plots.</summary>
internal static class PlotFile
{
    /// <summary>Width of every plot, in pixels.</summary>
    public const int Width = 1200;

    /// <summary>Returns <paramref name="name"/> made safe as a file name (video ids may hold any character but '/').</summary>
    public static string SafeName(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}

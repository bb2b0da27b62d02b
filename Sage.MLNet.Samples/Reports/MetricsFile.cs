using System.Text.Json;

namespace Sage.MLNet.Samples.Reports;

/// <summary>Writes <see cref="MetricsReport"/> as indented JSON with snake_case keys.</summary>
internal static class MetricsFile
{
    /// <summary>The file's name inside an output folder.</summary>
    public const string FileName = "metrics.json";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Writes <paramref name="report"/> to <c>metrics.json</c> in <paramref name="folder"/> and returns the file's path.</summary>
    public static string Write(string folder, MetricsReport report)
    {
        var path = Path.Combine(folder, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(report, s_json));
        return path;
    }
}

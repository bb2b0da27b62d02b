using System.Text.Json;

namespace Sage.MLNet.Samples.Robustness;

/// <summary>Writes <c>robustness.json</c>: the settings, then one entry per variant, corruption and level (CCC and AUROC as mean and sd over seeds).</summary>
internal static class RobustnessFile
{
    /// <summary>The file's name inside the output folder.</summary>
    public const string FileName = "robustness.json";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Writes the report through a temporary file and a rename and returns the file's path.</summary>
    public static string Write(string folder, RobustnessSettings settings, SageRobustnessReport report, double seconds)
    {
        var document = new
        {
            Settings = settings,
            Seconds = Math.Round(seconds, 1),
            TrainingFramesPerSecond = report.TrainingFramesPerSecond.ToDictionary(pair => pair.Key.ToString(), pair => Math.Round(pair.Value)),
            Results = report.Results.Select(r => new
            {
                Variant = r.Variant.ToString(),
                r.Corruption,
                r.Level,
                ValenceCcc = Spread(r.ValenceCcc),
                ArousalCcc = Spread(r.ArousalCcc),
                MeanCcc = Spread(r.MeanCcc),
                r.Frames,
                VisualAuroc = r.VisualAuroc is { } v ? Spread(v) : null,
                AudioAuroc = r.AudioAuroc is { } a ? Spread(a) : null,
            }),
        };
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, s_json));
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static object Spread(SageMeanAndDeviation value) => new { Mean = Math.Round(value.Mean, 4), Sd = Math.Round(value.StandardDeviation, 4), Seeds = value.Count };
}

/// <summary>What a robustness run was asked for, as recorded in <c>robustness.json</c>.</summary>
/// <param name="Machine">The machine line: CPU, cores, OS, runtime.</param>
/// <param name="Data">The copy's root.</param>
/// <param name="EvaluationSplit">The split that was corrupted and scored.</param>
/// <param name="EvaluationVideos">Its videos.</param>
/// <param name="Variants">The fusion variants.</param>
/// <param name="Seeds">Seeds per variant.</param>
/// <param name="Corruptions">The corruptions' short names.</param>
/// <param name="Levels">The corrupted shares.</param>
/// <param name="StretchFrames">Frames per corrupted stretch.</param>
/// <param name="Epochs">Training epochs per run.</param>
internal sealed record RobustnessSettings(string Machine, string Data, string EvaluationSplit, int EvaluationVideos, IReadOnlyList<string> Variants,
    int Seeds, IReadOnlyList<string> Corruptions, IReadOnlyList<double> Levels, int StretchFrames, int Epochs);

using System.CommandLine;
using System.Globalization;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>benchmark featurization</c> command: face featurisation images/s against ONNX Runtime alone and ML.NET's stock
/// featuriser, audio featurisation in multiples of real time, cache read frames/s, and the peak memory of featurising
/// one long synthetic video (each length in its own process).
/// </summary>
internal static class FeaturizationBenchmark
{
    private static readonly string[] s_parts = ["faces", "stock", "cache", "face-memory", "audio"];

    /// <summary>Returns the <c>featurization</c> subcommand of <c>benchmark</c>.</summary>
    public static Command Create()
    {
        var images = new Option<int>("--images") { Description = "Face crops per throughput round (112 × 112).", DefaultValueFactory = _ => 256 };
        var rounds = new Option<int>("--rounds") { Description = "Repeats of each throughput measurement; the table gives median (min–max).", DefaultValueFactory = _ => 5 };
        var faceMinutes = new Option<double[]>("--face-minutes")
        {
            Description = "Video lengths (minutes at 30 fps, one crop per frame) whose face featurisation peak memory is measured, through ML.NET and without; 20 takes about 10 minutes.",
            DefaultValueFactory = _ => [1],
            AllowMultipleArgumentsPerToken = true,
        };
        var audioMinutes = new Option<double[]>("--audio-minutes")
        {
            Description = "Video lengths (minutes) whose audio featurisation peak memory is measured; the first also gives × real time.",
            DefaultValueFactory = _ => [5, 20],
            AllowMultipleArgumentsPerToken = true,
        };
        var parts = new Option<string[]>("--parts")
        {
            Description = "Which measurements to run: faces (throughput), stock (DnnFeaturizeImage), cache, face-memory, audio.",
            DefaultValueFactory = _ => [.. s_parts],
            AllowMultipleArgumentsPerToken = true,
        };
        parts.AcceptOnlyFromAmong(s_parts);
        var measureFaces = new Option<string>("--measure-faces") { Description = "Internal: featurise this crop folder and print peak memory.", Hidden = true };
        var measureAudio = new Option<string>("--measure-audio") { Description = "Internal: featurise this video's audio and print peak memory.", Hidden = true };
        var direct = new Option<bool>("--direct") { Description = "Internal: with --measure-faces or --measure-audio, call the featuriser without ML.NET.", Hidden = true };
        var command = new Command("featurization", "Measure face and audio featurisation speed and memory, and feature-cache read speed.")
        {
            images, rounds, faceMinutes, audioMinutes, parts, measureFaces, measureAudio, direct,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(measureFaces) is { } folder)
            {
                return FaceBenchmark.MeasureMemory(folder, parse.GetValue(direct));
            }
            if (parse.GetValue(measureAudio) is { } video)
            {
                return AudioBenchmark.MeasureMemory(video, parse.GetValue(audioMinutes)![0], parse.GetValue(direct));
            }
            return Run(parse.GetValue(images), parse.GetValue(rounds), parse.GetValue(faceMinutes)!, parse.GetValue(audioMinutes)!, [.. parse.GetValue(parts)!]);
        });
        return command;
    }

    private static int Run(int images, int rounds, double[] faceMinutes, double[] audioMinutes, HashSet<string> parts)
    {
        Console.WriteLine($"Featurisation benchmark on {Machine.Describe()}; rates are median (min–max) over {rounds} rounds.");
        var table = new ResultTable();
        using var media = new SyntheticMedia();
        var crops = parts.Contains("faces") || parts.Contains("stock") ? media.FaceCrops("throughput", images) : "";
        if (parts.Contains("faces"))
        {
            FaceBenchmark.Throughput(crops, rounds, table);
        }
        if (parts.Contains("stock"))
        {
            StockImageFeaturizerBenchmark.Throughput(crops, Math.Min(images, 64), Math.Min(rounds, 3), table);
        }
        if (parts.Contains("cache"))
        {
            CacheBenchmark.ReadSpeed(media, rounds, table);
        }
        if (parts.Contains("face-memory"))
        {
            FaceMemory(media, faceMinutes, table);
        }
        if (parts.Contains("audio"))
        {
            AudioSpeedAndMemory(media, audioMinutes, Math.Min(rounds, 3), table);
        }
        Console.WriteLine($"{Environment.NewLine}{Machine.Describe()}");
        table.Print(Console.Out);
        return 0;
    }

    private static void FaceMemory(SyntheticMedia media, double[] minutes, ResultTable table)
    {
        var throughMLNet = new List<(double Minutes, double PeakMegabytes, double OutputMegabytes)>();
        var direct = new List<(double Minutes, double PeakMegabytes, double OutputMegabytes)>();
        foreach (var length in minutes)
        {
            var frames = AudioBenchmark.FrameCount(length);
            var folder = media.FaceCrops($"memory-{length}", frames);
            var measured = Numbers(ChildProcess.Run("featurization", "--measure-faces", folder));
            var alone = Numbers(ChildProcess.Run("featurization", "--measure-faces", folder, "--direct"));
            Directory.Delete(folder, recursive: true);
            throughMLNet.Add((length, measured[0], measured[1]));
            direct.Add((length, alone[0], alone[1]));
            table.Add($"Faces: peak memory, {length:0.#}-minute video", $"{measured[0]:N0}", "MB",
                $"through ML.NET ({measured[2]:N0} images/s); {alone[0]:N0} MB calling the featuriser alone; {frames:N0} crops, output T × Dv is {measured[1]:N0} MB");
        }
        AddGrowth("Faces", throughMLNet, table);
        AddGrowth("Faces (featuriser alone)", direct, table);
    }

    private static void AudioSpeedAndMemory(SyntheticMedia media, double[] minutes, int rounds, ResultTable table)
    {
        var throughMLNet = new List<(double Minutes, double PeakMegabytes, double OutputMegabytes)>();
        var direct = new List<(double Minutes, double PeakMegabytes, double OutputMegabytes)>();
        foreach (var length in minutes)
        {
            var video = media.Video($"audio-{length}", length);
            if (throughMLNet.Count == 0)
            {
                AudioBenchmark.Throughput(video, length, rounds, table);
            }
            string[] arguments = ["featurization", "--measure-audio", video, "--audio-minutes", length.ToString(CultureInfo.InvariantCulture)];
            var measured = Numbers(ChildProcess.Run(arguments));
            var alone = Numbers(ChildProcess.Run([.. arguments, "--direct"]));
            File.Delete(video);
            throughMLNet.Add((length, measured[0], measured[1]));
            direct.Add((length, alone[0], alone[1]));
            table.Add($"Audio: peak memory, {length:0.#}-minute video", $"{measured[0]:N0}", "MB",
                $"through ML.NET; {alone[0]:N0} MB calling the featuriser alone; output T × Da is {measured[1]:N1} MB");
        }
        AddGrowth("Audio", throughMLNet, table);
        AddGrowth("Audio (featuriser alone)", direct, table);
    }

    /// <summary>Adds how much the peak grew from the shortest to the longest video beside how much the output grew.</summary>
    private static void AddGrowth(string modality, List<(double Minutes, double PeakMegabytes, double OutputMegabytes)> peaks, ResultTable table)
    {
        if (peaks.Count < 2)
        {
            return;
        }
        var (shortest, longest) = (peaks.MinBy(p => p.Minutes), peaks.MaxBy(p => p.Minutes));
        table.Add($"{modality}: peak growth, {shortest.Minutes:0.#} → {longest.Minutes:0.#} minutes", $"{longest.PeakMegabytes - shortest.PeakMegabytes:N0}", "MB",
            $"the output itself grows by {longest.OutputMegabytes - shortest.OutputMegabytes:N0} MB");
    }

    private static double[] Numbers(string childOutput) =>
        childOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}

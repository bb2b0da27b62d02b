using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Sage.MLNet.Samples.Live;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>live --model FILE --source SRC [--out CSV] [--lookahead FRAMES] [--realtime]</c>: scores a live source frame by frame
/// with <see cref="SageModel.OpenLive"/>, printing a running line and writing the CSV as it goes; Ctrl+C stops it cleanly.
/// </summary>
internal static class LiveCommand
{
    public const string CsvHeader = "frame,time,valence,arousal,reliability,face,dropped,delay_ms";

    /// <summary>Returns the <c>live</c> command with its options and action.</summary>
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var source = new Option<string>("--source")
        {
            Description = "What to score: anything ffmpeg reads as a live input: a camera (/dev/video0), udp://, rtsp://, http:// streams, or a file.",
            Required = true,
        };
        var output = new Option<FileInfo?>("--out") { Description = $"CSV written as the results come ({CsvHeader})." };
        var lookahead = new Option<int>("--lookahead")
        {
            Description = "Frames after a frame that must arrive before its result is given (more: closer to the offline result, later).",
            DefaultValueFactory = _ => SageLiveOptions.DefaultLookaheadFrames,
        };
        var realTime = new Option<bool>("--realtime") { Description = "Read a file at its own speed, as if it were a camera." };
        var stall = new Option<double>("--stall-timeout")
        {
            Description = "Seconds without a frame after which the source counts as stalled and the command stops.",
            DefaultValueFactory = _ => 10,
        };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds of stream (default: until the source ends or Ctrl+C)." };
        var command = new Command("live", "Score a camera, a network stream or a file live: valence and arousal per frame, a fraction of a second behind.")
        {
            model, source, output, lookahead, realTime, stall, seconds,
        };
        command.SetAction(parse => CommandAction.Run(() => Run(parse.GetValue(model)!, parse.GetValue(source)!, parse.GetValue(output),
            parse.GetValue(lookahead), parse.GetValue(realTime), parse.GetValue(stall), parse.GetValue(seconds))));
        return command;
    }

    private static int Run(FileInfo modelFile, string sourceName, FileInfo? output, int lookahead, bool realTime, double stallSeconds, double? maxSeconds)
    {
        if (lookahead < 0)
        {
            throw new UserInputException($"--lookahead must be 0 or more frames (got {lookahead})");
        }
        if (!(stallSeconds > 0))
        {
            throw new UserInputException($"--stall-timeout must be a positive number of seconds (got {stallSeconds})");
        }
        var clock = Stopwatch.StartNew();
        SageLivePredictor? opened = null;
        FFMpegLiveSource source;
        try
        {
            // The model opens between the probe and ffmpeg's start, so the source's frames do not pile up while it loads.
            source = FFMpegLiveSource.Open(sourceName, realTime, TimeSpan.FromSeconds(stallSeconds), probed: rate =>
                opened = SageModel.OpenLive(new MLContext(seed: 1), modelFile.FullName, new SageLiveOptions { LookaheadFrames = lookahead, FramesPerSecond = rate }));
        }
        catch (ArgumentOutOfRangeException e)
        {
            opened?.Dispose();
            throw new UserInputException($"--lookahead {lookahead}: {e.Message.Split('\n')[0]}");
        }
        catch
        {
            opened?.Dispose();
            throw;
        }
        var predictor = opened!;   // Open calls probed before it returns
        using (source)
        using (predictor)
        {
            Console.WriteLine($"Scoring '{sourceName}' ({source.Width} × {source.Height}, {(source.FramesPerSecond is { } fps ? $"{fps:0.##} fps" : "frame rate unknown")}, " +
                $"{(source.HasAudio ? "with audio" : "no audio: zeros stand in")}), lookahead {predictor.LookaheadFrames} frames, window {predictor.ContextFrames}; Ctrl+C stops.");
            if (!predictor.ExtractionSaved)
            {
                Console.WriteLine("The model was trained on face crops made elsewhere; faces are found and aligned with the library's default settings.");
            }
            if (!predictor.PerFrameTcn)
            {
                Console.Error.WriteLine(LiveNotes.WholeNetwork(modelFile.Name));
            }
            using var csv = output is null ? null : OpenCsv(output);
            var delays = new List<double>();
            var writer = Task.Run(() => Consume(predictor, csv, delays));
            var interrupted = false;
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                interrupted = true;
                source.Stop();
            };
            Console.CancelKeyPress += onCancel;
            int skippedTimes;
            double last;
            try
            {
                (skippedTimes, last) = LivePump.Run(source, predictor, maxSeconds);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                predictor.Complete();
            }
            writer.GetAwaiter().GetResult();
            var end = interrupted ? "stopped (Ctrl+C)" : maxSeconds is { } l && last - source.FirstTime >= l ? $"stopped after {l:0.##} s of stream" : source.End switch
            {
                LiveSourceEnd.Ended => "the source ended",
                LiveSourceEnd.Stalled => $"the source stalled: no frame for {stallSeconds:0.#} s",
                LiveSourceEnd.Failed => $"the source failed: {source.ErrorDetail}",
                _ => "stopped",
            };
            PrintSummary(end, predictor, delays, skippedTimes, output, clock.Elapsed);
            var failed = !interrupted && source.End is LiveSourceEnd.Stalled or LiveSourceEnd.Failed && !(maxSeconds is { } m && last - source.FirstTime >= m);
            if (failed && predictor.FramesIn == 0)
            {
                Console.Error.WriteLine($"error: source '{sourceName}': {end}; no frame arrived");
            }
            return failed ? CommandAction.UserErrorExitCode : 0;
        }
    }

    private static StreamWriter OpenCsv(FileInfo output)
    {
        output.Directory?.Create();
        var csv = new StreamWriter(output.FullName, append: false, new UTF8Encoding(false)) { AutoFlush = true };
        csv.WriteLine(CsvHeader);
        return csv;
    }

    private static async Task Consume(SageLivePredictor predictor, StreamWriter? csv, List<double> delays)
    {
        var terminal = !Console.IsOutputRedirected;
        var lastLine = double.NegativeInfinity;
        await foreach (var r in predictor.ReadResultsAsync())
        {
            delays.Add(r.Delay.TotalMilliseconds);
            csv?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Frame},{r.Time:0.######},{r.Valence:0.######},{r.Arousal:0.######},{r.Reliability:0.######},{(r.FaceFound ? 1 : 0)},{(r.Dropped ? 1 : 0)},{r.Delay.TotalMilliseconds:0.#}"));
            // On a terminal the line is rewritten in place about 10 times a second; into a file or pipe, one line a second.
            if (r.Time - lastLine >= (terminal ? 0.1 : 1.0))
            {
                lastLine = r.Time;
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{r.Time,8:0.00} s  valence {r.Valence,6:+0.00;-0.00} {Bar(r.Valence)}  arousal {r.Arousal,6:+0.00;-0.00} {Bar(r.Arousal)}  {(r.FaceFound ? "face" : "no face")}  {r.Delay.TotalMilliseconds,5:0} ms");
                Console.Write(terminal ? $"\r{line}" : $"{line}{Environment.NewLine}");
            }
        }
        if (terminal)
        {
            Console.WriteLine();
        }
    }

    /// <summary>Returns a bar of 11 cells for a value in [−1, 1]: the centre is 0, the marker at the value.</summary>
    private static string Bar(float value)
    {
        var cells = "-----|-----".ToCharArray();
        cells[Math.Clamp((int)Math.Round((value + 1) * 5), 0, 10)] = '#';
        return $"[{new string(cells)}]";
    }

    private static void PrintSummary(string end, SageLivePredictor predictor, List<double> delays, int skippedTimes, FileInfo? output, TimeSpan elapsed)
    {
        Console.WriteLine();
        Console.WriteLine($"Live scoring ended: {end}, after {elapsed.TotalSeconds:0.#} s.");
        Console.WriteLine($"  frames in {predictor.FramesIn:N0}, scored {predictor.FramesScored:N0}, dropped {predictor.FramesDropped:N0}" +
            (skippedTimes > 0 ? $", left out for repeated timestamps {skippedTimes:N0}" : "") + $"; network runs {predictor.WindowsScored:N0}");
        if (delays.Count > 0)
        {
            delays.Sort();
            double P(double q) => delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(q * delays.Count) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  delay from a frame's arrival to its result: p50 {P(0.5):0} ms, p95 {P(0.95):0} ms, p99 {P(0.99):0} ms, max {delays[^1]:0} ms"));
        }
        if (output is not null)
        {
            Console.WriteLine($"  csv        {output.FullName}");
        }
    }
}

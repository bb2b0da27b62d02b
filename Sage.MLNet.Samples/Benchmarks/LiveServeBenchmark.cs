using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>benchmark live-serve</c> command: the <c>live</c> benchmark's 640 × 360, 25 fps face video, as WebM (VP8 and Opus,
/// as a browser's MediaRecorder sends it), streamed in pieces of the page's time slice at its own speed over <c>serve</c>'s
/// <c>/live</c> WebSocket to the real server in its own process; prints drops, the server's delay percentiles (arrival at the
/// predictor to result), the delay the client sees from each frame's moment in the stream and where it goes, and the server's
/// CPU per frame.
/// </summary>
internal static partial class LiveServeBenchmark
{

    /// <summary>Returns the <c>live-serve</c> subcommand of <c>benchmark</c>.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds of stream.", DefaultValueFactory = _ => 60 };
        var quick = new Option<bool>("--short") { Description = "CI size: 20 s of stream." };
        var model = new Option<FileInfo?>("--model") { Description = "A model saved with its featurizers; default: the live benchmark's default-size network trained for one epoch on synthetic features." };
        var lookahead = new Option<int?>("--lookahead") { Description = "serve's --lookahead, in frames (default: serve's default)." };
        var queue = new Option<int?>("--live-queue") { Description = "serve's --live-queue (default: serve's default)." };
        var slice = new Option<int>("--slice-ms")
        {
            Description = $"The recorder's time slice the stream is cut by, in milliseconds (default: the page's, {LiveSocketClient.PageTimeSliceMs}).",
            DefaultValueFactory = _ => LiveSocketClient.PageTimeSliceMs,
        };
        var command = new Command("live-serve", "Stream a 640 × 360, 25 fps face video as WebM at its own speed through serve's /live WebSocket: drops, delay percentiles, server CPU.")
        {
            seconds, quick, model, lookahead, queue, slice,
        };
        command.SetAction(parse => Run(parse.GetValue(quick) ? 20 : parse.GetValue(seconds), parse.GetValue(model), parse.GetValue(lookahead), parse.GetValue(queue),
            parse.GetValue(slice) / 1000.0));
        return command;
    }

    private static int Run(double seconds, FileInfo? modelFile, int? lookaheadAsked, int? queue, double sliceSeconds)
    {
        var root = Directory.CreateTempSubdirectory("sage-live-serve-benchmark-").FullName;
        try
        {
            Console.WriteLine($"{Machine.Describe()}; {Machine.Load()}.");
            var video = LiveBenchmark.MakeVideo(root);
            var webm = Path.Combine(root, "face.webm");
            LiveBenchmark.Run("ffmpeg", $"-y -v error -stream_loop -1 -i \"{video}\" -t {seconds.ToString(CultureInfo.InvariantCulture)} " +
                $"-c:v libvpx -deadline realtime -cpu-used 8 -b:v 1M -g {LiveBenchmark.Rate} -c:a libopus -b:a 48k \"{webm}\"");
            var modelPath = modelFile?.FullName ?? LiveBenchmark.MakeModel(root);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Live through serve: {LiveBenchmark.Width} × {LiveBenchmark.Height} at {LiveBenchmark.Rate} fps for {seconds:0} s as WebM in pieces of {1000 * sliceSeconds:0} ms (what a recorder with that time slice sends), lookahead {(lookaheadAsked is { } l ? $"{l}" : "serve's default")}, queue {(queue is { } q ? $"{q}" : "serve's default")}, model {(modelFile is null ? "default size, untrained" : modelFile.Name)}."));
            using var server = StartServer(modelPath, lookaheadAsked, queue);
            var lookahead = WaitUntilReady(server.Address);
            var address = new Uri(server.Address.Replace("http://", "ws://", StringComparison.Ordinal) + "/live");
            server.Process.Refresh();
            var cpuBefore = server.Process.TotalProcessorTime.TotalSeconds;
            var pieces = LiveSocketClient.TimeSlices(webm, sliceSeconds);
            var sent = LiveSocketClient.FrameSendTimes(webm, pieces);
            var (reply, clock) = Stream(address, webm, pieces).GetAwaiter().GetResult();
            var cpu = server.Process.TotalProcessorTime.TotalSeconds - cpuBefore;
            Report(reply, clock, lookahead, cpu, sent);
            Console.WriteLine($"After the run: {Machine.Load()}.");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    /// <summary>Connects, streams the bytes at their own speed and reads every result; returns them with the clock started when the stream did.</summary>
    private static async Task<(LiveSocketReply Reply, long StartedAt)> Stream(Uri address, string webm, List<(double SendAt, int End)> pieces)
    {
        using var client = new ClientWebSocket();
        await client.ConnectAsync(address, CancellationToken.None);
        var bytes = File.ReadAllBytes(webm);
        var receiving = LiveSocketClient.ReceiveAllAsync(client);
        var clock = Stopwatch.StartNew();
        var startedAt = Stopwatch.GetTimestamp();
        await LiveSocketClient.SendPiecesAsync(client, bytes, pieces, clock);
        await client.SendAsync("end"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var reply = await receiving.WaitAsync(TimeSpan.FromMinutes(2));
        return (reply, startedAt);
    }

    private static void Report(LiveSocketReply reply, long startedAt, int lookahead, double cpuSeconds, List<(double Time, double SentAt)> sent)
    {
        var frames = reply.Frames;
        Console.WriteLine($"Server closed: {reply.Status} '{reply.Reason}'.");
        if (frames.Count == 0)
        {
            Console.WriteLine("No frame was scored.");
            return;
        }
        var dropped = frames.Where(f => f.GetProperty("dropped").GetBoolean()).Select(f => f.GetProperty("frame").GetInt32()).ToList();
        var serverDelays = frames.Select(f => f.GetProperty("delay").GetDouble()).Order().ToList();
        // The client's view: from the frame's moment in the stream (the stream's clock started with the first piece) to its
        // result's arrival. It is the sum of three parts, each measured per frame: the wait for the piece the frame goes out in
        // (from the cutter), the server's delay (the message's own field: arrival at the predictor to result, which holds the
        // lookahead), and the rest: the socket both ways, ffmpeg's decoding and whatever ffmpeg holds back.
        var firstTime = frames[0].GetProperty("time").GetDouble();
        var clientUnsorted = frames.Select((f, i) =>
            Stopwatch.GetElapsedTime(startedAt, reply.ReceivedAt[i]).TotalMilliseconds - 1000 * (f.GetProperty("time").GetDouble() - firstTime)).ToList();
        var clientDelays = clientUnsorted.Order().ToList();
        // The i-th result is the i-th video packet in time order (ffmpeg passes frames through one for one).
        var firstPacket = sent.Count > 0 ? sent[0].Time : 0;
        var pieceWaits = frames.Select((_, i) => i < sent.Count ? 1000 * (sent[i].SentAt - (sent[i].Time - firstPacket)) : double.NaN).ToList();
        var rest = frames.Select((f, i) => clientUnsorted[i] - pieceWaits[i] - f.GetProperty("delay").GetDouble()).Where(double.IsFinite).Order().ToList();
        var waits = pieceWaits.Where(double.IsFinite).Order().ToList();
        var budget = lookahead * 1000.0 / LiveBenchmark.Rate + 100;
        var p95 = Percentile(serverDelays, 0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Frames scored {frames.Count - dropped.Count:N0} of {frames.Count:N0}, dropped {dropped.Count:N0} ({100.0 * dropped.Count / frames.Count:0.0} %)."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Server delay from arrival at the predictor to result: p50 {Percentile(serverDelays, 0.5):0} ms, p95 {p95:0} ms, p99 {Percentile(serverDelays, 0.99):0} ms, max {serverDelays[^1]:0} ms; " +
            $"target p95 <= lookahead + 100 ms = {budget:0} ms: {(p95 <= budget ? "met" : "missed")}."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Client delay from the frame's moment in the stream to its result: p50 {Percentile(clientDelays, 0.5):0} ms, p95 {Percentile(clientDelays, 0.95):0} ms, max {clientDelays[^1]:0} ms."));
        if (waits.Count > 0 && rest.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  of which: waiting for the frame's piece p50 {Percentile(waits, 0.5):0} / p95 {Percentile(waits, 0.95):0} ms; server (lookahead {lookahead * 1000.0 / LiveBenchmark.Rate:0} ms, queue, compute) as above; " +
                $"the rest (socket both ways, ffmpeg decoding and holding frames back) p50 {Percentile(rest, 0.5):0} / p95 {Percentile(rest, 0.95):0} ms."));
        }
        Console.WriteLine($"Real time with no drops: {(dropped.Count == 0 ? "yes" : "no")}.");
        if (dropped.Count > 0)
        {
            Console.WriteLine("Dropped frames: " + string.Join(", ", dropped.Take(30)) + (dropped.Count > 30 ? $", ... ({dropped.Count} in all)" : "") + ".");
        }
        var perFrame = 1000 * cpuSeconds / Math.Max(1, frames.Count - dropped.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Server CPU over the stream: {cpuSeconds:0.0} s, {perFrame:0} ms per featurised frame (WebM decoding in ffmpeg not included: it is a child process): {LiveBenchmark.Rate} fps needs {perFrame * LiveBenchmark.Rate / 1000:0.00} cores."));
    }

    /// <summary>
    /// Waits until <c>/health</c> says a live predictor is open and warm (serve opens one when it starts), as a user opening the
    /// page a moment later finds it; returns the lookahead the server scores with, in frames.
    /// </summary>
    private static int WaitUntilReady(string address)
    {
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        System.Text.Json.JsonElement health;
        while (!(health = System.Text.Json.JsonDocument.Parse(http.GetStringAsync(address + "/health").GetAwaiter().GetResult()).RootElement).GetProperty("liveReady").GetBoolean())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("serve had no live predictor ready after 2 minutes");
            }
            Thread.Sleep(100);
        }
        var lookahead = health.GetProperty("liveLookahead").GetInt32();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"serve's live predictor was ready {clock.Elapsed.TotalSeconds:0.0} s after it listened; it scores with a lookahead of {lookahead} frames ({lookahead * 1000.0 / LiveBenchmark.Rate:0} ms)."));
        return lookahead;
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>Starts <c>serve</c> from the sample program built beside this one, on a free port of 127.0.0.1, and waits until it listens.</summary>
    private static Server StartServer(string model, int? lookahead, int? queue)
    {
        // This program runs from Sage.MLNet.Samples/Benchmarks/bin/<config>/<tfm>/; the sample program builds into Sage.MLNet.Samples/bin/<config>/<tfm>/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var program = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "bin", output.Parent.Name, output.Name, "Sage.MLNet.Samples.dll");
        if (!File.Exists(program))
        {
            throw new FileNotFoundException($"The sample program is not built at {program}; build Sage.MLNet.sln in the same configuration", program);
        }
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments = [program, "serve", "--model", model, "--urls", "http://127.0.0.1:0", "--live-sessions", "1",
            .. lookahead is { } l ? ["--lookahead", l.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>(),
            .. queue is { } q ? ["--live-queue", q.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("serve could not be started");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException($"serve stopped before it listened: {string.Join(" | ", lines)}"));
                return;
            }
            lock (lines)
            {
                lines.Add(e.Data);
            }
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new Server(process);
        try
        {
            server.Address = listening.Task.WaitAsync(TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    [GeneratedRegex(@"^Serving '.*' on (http://127\.0\.0\.1:\d+):")]
    private static partial Regex ListeningLine();

    /// <summary>The server process; disposing stops it with SIGTERM, as Ctrl+C would, and waits for it.</summary>
    private sealed class Server(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        public string Address { get; set; } = "";

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                using (var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    kill.WaitForExit();
                }
                if (!Process.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    Process.Kill(entireProcessTree: true);
                    Process.WaitForExit();
                }
            }
            Process.Dispose();
        }
    }
}

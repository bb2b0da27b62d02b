using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>benchmark live-serve</c> command: the <c>live</c> benchmark's 640 × 360, 25 fps face video, as WebM (VP8 and Opus,
/// as a browser's MediaRecorder sends it), streamed in 250-ms pieces at its own speed over <c>serve</c>'s <c>/live</c>
/// WebSocket to the real server in its own process; prints drops, the server's delay percentiles (arrival at the predictor
/// to result), the delay the client sees from each frame's moment in the stream, and the server's CPU per frame.
/// </summary>
internal static partial class LiveServeBenchmark
{
    private const double PieceSeconds = 0.25;

    /// <summary>Returns the <c>live-serve</c> subcommand of <c>benchmark</c>.</summary>
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "Seconds of stream.", DefaultValueFactory = _ => 60 };
        var quick = new Option<bool>("--short") { Description = "CI size: 20 s of stream." };
        var model = new Option<FileInfo?>("--model") { Description = "A model saved with its featurizers; default: the live benchmark's default-size network trained for one epoch on synthetic features." };
        var lookahead = new Option<int>("--lookahead") { Description = "Lookahead in frames (serve's --lookahead).", DefaultValueFactory = _ => SageLiveOptions.DefaultLookaheadFrames };
        var queue = new Option<int?>("--live-queue") { Description = "serve's --live-queue (default: serve's default)." };
        var command = new Command("live-serve", "Stream a 640 × 360, 25 fps face video as WebM at its own speed through serve's /live WebSocket: drops, delay percentiles, server CPU.")
        {
            seconds, quick, model, lookahead, queue,
        };
        command.SetAction(parse => Run(parse.GetValue(quick) ? 20 : parse.GetValue(seconds), parse.GetValue(model), parse.GetValue(lookahead), parse.GetValue(queue)));
        return command;
    }

    private static int Run(double seconds, FileInfo? modelFile, int lookahead, int? queue)
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
                $"Live through serve: {LiveBenchmark.Width} × {LiveBenchmark.Height} at {LiveBenchmark.Rate} fps for {seconds:0} s as WebM in pieces of {1000 * PieceSeconds:0} ms (what a recorder with that time slice sends), lookahead {lookahead} frames, queue {(queue is { } q ? $"{q}" : "serve's default")}, model {(modelFile is null ? "default size, untrained" : modelFile.Name)}."));
            using var server = StartServer(modelPath, lookahead, queue);
            WaitUntilReady(server.Address);
            var address = new Uri(server.Address.Replace("http://", "ws://", StringComparison.Ordinal) + "/live");
            server.Process.Refresh();
            var cpuBefore = server.Process.TotalProcessorTime.TotalSeconds;
            var (reply, clock) = Stream(address, webm).GetAwaiter().GetResult();
            var cpu = server.Process.TotalProcessorTime.TotalSeconds - cpuBefore;
            Report(reply, clock, lookahead, cpu);
            Console.WriteLine($"After the run: {Machine.Load()}.");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    /// <summary>Connects, streams the bytes at their own speed and reads every result; returns them with the clock started when the stream did.</summary>
    private static async Task<(LiveSocketReply Reply, long StartedAt)> Stream(Uri address, string webm)
    {
        using var client = new ClientWebSocket();
        await client.ConnectAsync(address, CancellationToken.None);
        var pieces = LiveSocketClient.TimeSlices(webm, PieceSeconds);
        var bytes = File.ReadAllBytes(webm);
        var receiving = LiveSocketClient.ReceiveAllAsync(client);
        var clock = Stopwatch.StartNew();
        var startedAt = Stopwatch.GetTimestamp();
        await LiveSocketClient.SendPiecesAsync(client, bytes, pieces, clock);
        await client.SendAsync("end"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var reply = await receiving.WaitAsync(TimeSpan.FromMinutes(2));
        return (reply, startedAt);
    }

    private static void Report(LiveSocketReply reply, long startedAt, int lookahead, double cpuSeconds)
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
        // result's arrival; it includes the piece the frame waited in (up to 250 ms), the network and ffmpeg's buffering.
        var firstTime = frames[0].GetProperty("time").GetDouble();
        var clientDelays = frames.Select((f, i) =>
            Stopwatch.GetElapsedTime(startedAt, reply.ReceivedAt[i]).TotalMilliseconds - 1000 * (f.GetProperty("time").GetDouble() - firstTime)).Order().ToList();
        var budget = lookahead * 1000.0 / LiveBenchmark.Rate + 100;
        var p95 = Percentile(serverDelays, 0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Frames scored {frames.Count - dropped.Count:N0} of {frames.Count:N0}, dropped {dropped.Count:N0} ({100.0 * dropped.Count / frames.Count:0.0} %)."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Server delay from arrival at the predictor to result: p50 {Percentile(serverDelays, 0.5):0} ms, p95 {p95:0} ms, p99 {Percentile(serverDelays, 0.99):0} ms, max {serverDelays[^1]:0} ms; " +
            $"target p95 <= lookahead + 100 ms = {budget:0} ms: {(p95 <= budget ? "met" : "missed")}."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Client delay from the frame's moment in the stream to its result: p50 {Percentile(clientDelays, 0.5):0} ms, p95 {Percentile(clientDelays, 0.95):0} ms, max {clientDelays[^1]:0} ms (includes the {1000 * PieceSeconds:0}-ms piece the frame is sent in)."));
        Console.WriteLine($"Real time with no drops: {(dropped.Count == 0 ? "yes" : "no")}.");
        if (dropped.Count > 0)
        {
            Console.WriteLine("Dropped frames: " + string.Join(", ", dropped.Take(30)) + (dropped.Count > 30 ? $", ... ({dropped.Count} in all)" : "") + ".");
        }
        var perFrame = 1000 * cpuSeconds / Math.Max(1, frames.Count - dropped.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Server CPU over the stream: {cpuSeconds:0.0} s, {perFrame:0} ms per featurised frame (WebM decoding in ffmpeg not included: it is a child process): {LiveBenchmark.Rate} fps needs {perFrame * LiveBenchmark.Rate / 1000:0.00} cores."));
    }

    /// <summary>Waits until <c>/health</c> says a live predictor is open and warm (serve opens one when it starts), as a user opening the page a moment later finds it.</summary>
    private static void WaitUntilReady(string address)
    {
        using var http = new HttpClient();
        var clock = Stopwatch.StartNew();
        while (!System.Text.Json.JsonDocument.Parse(http.GetStringAsync(address + "/health").GetAwaiter().GetResult()).RootElement.GetProperty("liveReady").GetBoolean())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("serve had no live predictor ready after 2 minutes");
            }
            Thread.Sleep(100);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"serve's live predictor was ready {clock.Elapsed.TotalSeconds:0.0} s after it listened."));
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>Starts <c>serve</c> from the sample program built beside this one, on a free port of 127.0.0.1, and waits until it listens.</summary>
    private static Server StartServer(string model, int lookahead, int? queue)
    {
        // This program runs from Sage.MLNet.Samples/Benchmarks/bin/<config>/<tfm>/; the sample program builds into Sage.MLNet.Samples/bin/<config>/<tfm>/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var program = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "bin", output.Parent.Name, output.Name, "Sage.MLNet.Samples.dll");
        if (!File.Exists(program))
        {
            throw new FileNotFoundException($"The sample program is not built at {program}; build Sage.MLNet.sln in the same configuration", program);
        }
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments = [program, "serve", "--model", model, "--urls", "http://127.0.0.1:0", "--lookahead", lookahead.ToString(CultureInfo.InvariantCulture), "--live-sessions", "1",
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

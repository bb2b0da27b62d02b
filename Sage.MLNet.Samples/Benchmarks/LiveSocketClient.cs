using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>What a client of <c>serve</c>'s <c>/live</c> got: one JSON message per frame, when each came, and how the server closed.</summary>
/// <param name="Frames">The frame messages, in the order they came.</param>
/// <param name="ReceivedAt">When each frame message was received (<see cref="Stopwatch.GetTimestamp"/>).</param>
/// <param name="Status">The close status, or null.</param>
/// <param name="Reason">The close reason.</param>
internal sealed record LiveSocketReply(List<JsonElement> Frames, List<long> ReceivedAt, WebSocketCloseStatus? Status, string Reason)
{
    public void Deconstruct(out List<JsonElement> frames, out WebSocketCloseStatus? status, out string reason) =>
        (frames, status, reason) = (Frames, Status, Reason);
}

/// <summary>
/// A client of <c>serve</c>'s <c>/live</c> WebSocket as a browser's recorder is one: a stream's bytes sent in pieces at its own
/// speed, and every result read until the server closes. <c>LiveServeTests</c> and <c>benchmark live-serve</c> share it.
/// </summary>
internal static class LiveSocketClient
{
    /// <summary>
    /// The time slice the page (<c>Web/live.html</c>, <c>TIMESLICE_MS</c>) asks its <c>MediaRecorder</c> for, in milliseconds;
    /// <c>benchmark live-serve</c> cuts its stream the same way by default, and a test checks the page says the same.
    /// </summary>
    public const int PageTimeSliceMs = 100;

    /// <summary>Sends <paramref name="bytes"/> in <paramref name="pieces"/> messages of equal size spread over <paramref name="seconds"/>.</summary>
    /// <param name="client">An open connection to <c>/live</c>.</param>
    /// <param name="bytes">The stream (WebM, Matroska, MPEG-TS).</param>
    /// <param name="seconds">How long the stream lasts: the pieces go out evenly over it, each at the end of its share.</param>
    /// <param name="pieces">How many messages.</param>
    public static Task SendAtOwnSpeedAsync(ClientWebSocket client, byte[] bytes, double seconds, int pieces) =>
        SendAsync(client, bytes, [.. Enumerable.Range(0, pieces).Select(i => (seconds * i / pieces, (int)((long)bytes.Length * (i + 1) / pieces)))], seconds, Stopwatch.StartNew());

    /// <summary>
    /// Returns where a recorder with a time slice would cut <paramref name="file"/>: piece i holds every byte up to the first
    /// packet whose time is past (i + 1) × <paramref name="sliceSeconds"/>, and goes out at that moment.
    /// </summary>
    /// <param name="file">A stream ffprobe can list the packets of (WebM).</param>
    /// <param name="sliceSeconds">The recorder's time slice, in seconds.</param>
    public static List<(double SendAt, int End)> TimeSlices(string file, double sliceSeconds)
    {
        var packets = Packets(file);
        packets.Sort((a, b) => a.Position.CompareTo(b.Position));
        var length = new FileInfo(file).Length;
        var pieces = new List<(double SendAt, int End)>();
        for (var end = sliceSeconds; ; end += sliceSeconds)
        {
            var cut = packets.FirstOrDefault(p => p.Time > end + 1e-6, (Time: double.NaN, Position: length)).Position;
            pieces.Add((end, (int)cut));
            if (cut >= length)
            {
                return pieces;
            }
        }
    }

    /// <summary>Returns the moment, in seconds of the stream, at which each video frame of <paramref name="file"/> (in time order) goes out in <paramref name="pieces"/>.</summary>
    /// <param name="file">The stream the pieces were cut from.</param>
    /// <param name="pieces">Its pieces, from <see cref="TimeSlices"/>.</param>
    public static List<(double Time, double SentAt)> FrameSendTimes(string file, List<(double SendAt, int End)> pieces)
    {
        var frames = new List<(double Time, double SentAt)>();
        foreach (var (time, position) in Packets(file, "v:0"))
        {
            var piece = pieces.FindIndex(p => position < p.End);
            frames.Add((time, piece < 0 ? pieces[^1].SendAt : pieces[piece].SendAt));
        }
        frames.Sort((a, b) => a.Time.CompareTo(b.Time));
        return frames;
    }

    /// <summary>Returns each packet's time and byte offset in <paramref name="file"/>, of the streams <paramref name="streams"/> selects (all when null), as ffprobe lists them.</summary>
    private static List<(double Time, long Position)> Packets(string file, string? streams = null)
    {
        var start = new ProcessStartInfo("ffprobe", ["-v", "error", .. streams is null ? Array.Empty<string>() : ["-select_streams", streams],
            "-show_entries", "packet=pts_time,pos", "-of", "csv=p=0", file]) { RedirectStandardOutput = true };
        using var ffprobe = Process.Start(start) ?? throw new InvalidOperationException("ffprobe could not be started");
        var packets = new List<(double Time, long Position)>();
        while (ffprobe.StandardOutput.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            if (fields.Length >= 2 && double.TryParse(fields[0], System.Globalization.CultureInfo.InvariantCulture, out var time) &&
                long.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out var position))
            {
                packets.Add((time, position));
            }
        }
        ffprobe.WaitForExit();
        return packets;
    }

    /// <summary>Sends <paramref name="bytes"/> in the <paramref name="pieces"/> of <see cref="TimeSlices"/>, each at its moment of <paramref name="clock"/>.</summary>
    /// <param name="client">An open connection to <c>/live</c>.</param>
    /// <param name="bytes">The stream.</param>
    /// <param name="pieces">Each piece's moment, in seconds of <paramref name="clock"/>, and where it ends in <paramref name="bytes"/>.</param>
    /// <param name="clock">Started when the stream starts.</param>
    public static Task SendPiecesAsync(ClientWebSocket client, byte[] bytes, List<(double SendAt, int End)> pieces, Stopwatch clock) =>
        SendAsync(client, bytes, pieces, pieces[^1].SendAt, clock);

    /// <summary>Sends each piece (the bytes up to its end) at its moment of <paramref name="clock"/>, then waits until <paramref name="finishAt"/>.</summary>
    private static async Task SendAsync(ClientWebSocket client, byte[] bytes, List<(double SendAt, int End)> pieces, double finishAt, Stopwatch clock)
    {
        var from = 0;
        foreach (var (sendAt, end) in pieces)
        {
            await WaitUntil(sendAt);
            if (end > from)
            {
                await client.SendAsync(bytes.AsMemory(from, end - from), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                from = end;
            }
        }
        await WaitUntil(finishAt);

        async Task WaitUntil(double seconds)
        {
            var wait = TimeSpan.FromSeconds(seconds) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
        }
    }

    /// <summary>Reads every message until the server closes; returns the frame messages, when each came, and the close status and reason.</summary>
    /// <exception cref="InvalidDataException">The server sent a binary message.</exception>
    public static async Task<LiveSocketReply> ReceiveAllAsync(ClientWebSocket client)
    {
        var frames = new List<JsonElement>();
        var times = new List<long>();
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            var received = await client.ReceiveAsync(buffer, CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (client.State == WebSocketState.CloseReceived)
                {
                    await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
                return new LiveSocketReply(frames, times, received.CloseStatus, received.CloseStatusDescription ?? "");
            }
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                if (received.MessageType != WebSocketMessageType.Text)
                {
                    throw new InvalidDataException($"the server sent a binary message of {message.Length} bytes; /live sends JSON text");
                }
                times.Add(Stopwatch.GetTimestamp());
                frames.Add(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                message.SetLength(0);
            }
        }
    }
}

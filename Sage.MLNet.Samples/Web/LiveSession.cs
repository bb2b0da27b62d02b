using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Sage.MLNet.Samples.Live;

namespace Sage.MLNet.Samples.Web;

/// <summary>
/// One stream on <c>GET /live</c>: the binary messages go into ffmpeg's standard input (<see cref="FFMpegLiveSource.OpenPipe"/>),
/// its frames into a <see cref="SageLivePredictor"/> (<see cref="LivePump"/>), and each result back as one JSON text message.
/// Whatever ends the stream, ffmpeg and the predictor are disposed and the socket is closed with a status and a one-line reason.
/// </summary>
/// <remarks>
/// <para>The first bytes are kept until ffprobe reads them as video (tried at 16 KB, then at each doubling); a stream that is
/// still unreadable at <see cref="MaxProbeBytes"/>, or when the client ends it, is closed with 1007.</para>
/// <para>The client ends its stream with a text message (any text, <c>end</c> by convention) or a close frame: ffmpeg's input
/// is closed, the last frames are scored with less lookahead, their messages are sent, and the socket is closed with 1000 and
/// a summary. A socket that sends nothing for the stall timeout, or whose bytes give no frame for that long, is closed with
/// 1008; a message over the size limit with 1009; a frame the predictor cannot featurise with 1011; a stopping server with 1001.</para>
/// </remarks>
internal sealed class LiveSession(WebSocket socket, LivePredictors predictors, LiveSettings settings, ILogger logger)
{
    /// <summary>The most bytes kept while waiting for ffprobe to recognise the stream, in bytes.</summary>
    public const int MaxProbeBytes = 256 * 1024;

    private const int FirstProbeBytes = 16 * 1024;
    private const string StreamName = "stream";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private static readonly Task<string?> s_never = new TaskCompletionSource<string?>().Task;

    private FFMpegLiveSource? _source;
    private SageLivePredictor? _predictor;
    private Task<string?> _pump = Task.FromResult<string?>(null);
    private Task<string?> _sender = Task.FromResult<string?>(null);
    private ArrayBufferWriter<byte>? _head = new();
    private long _probeAt = FirstProbeBytes;

    /// <summary>Scores the stream until it ends, then closes the socket; never throws for anything the client sends or does.</summary>
    public async Task RunAsync(CancellationToken clientGone, CancellationToken serverStopping)
    {
        var clock = Stopwatch.StartNew();
        Task<ValueWebSocketReceiveResult>? pending = null;
        var buffer = new byte[64 * 1024];
        (WebSocketCloseStatus Status, string Reason)? end = null;
        var closeReceived = false;
        try
        {
            long messageBytes = 0;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(clientGone, serverStopping);
            while (end is null)
            {
                // A receive is never cancelled (that would abort the socket, and with it the close message): it races a timer.
                pending ??= socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask();
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                var idle = Task.Delay(settings.StallTimeout, timer.Token);
                var first = await Task.WhenAny(pending, idle, _source is null ? s_never : _pump).ConfigureAwait(false);
                timer.Cancel();
                if (first == _pump)
                {
                    end = SourceEnd();      // ffmpeg stopped while bytes were still coming: it failed, or no frame came
                    break;
                }
                if (first == idle)
                {
                    end = stop.IsCancellationRequested
                        ? (serverStopping.IsCancellationRequested ? (WebSocketCloseStatus.EndpointUnavailable, "the server is stopping") : null)
                        : (WebSocketCloseStatus.PolicyViolation, $"the stream stalled: nothing arrived for {settings.StallTimeout.TotalSeconds:0.#} s");
                    if (end is null)
                    {
                        return;     // the client went away; nobody to tell
                    }
                    break;
                }
                var received = await pending.ConfigureAwait(false);
                pending = null;
                if (received.MessageType != WebSocketMessageType.Binary)
                {
                    closeReceived = received.MessageType == WebSocketMessageType.Close;
                    end = await EndOfStreamAsync().ConfigureAwait(false);
                    break;
                }
                messageBytes += received.Count;
                if (messageBytes > settings.MaxMessageBytes)
                {
                    end = (WebSocketCloseStatus.MessageTooBig, $"a message is larger than this server's limit of {settings.MaxMessageBytes / 1024} KB");
                    break;
                }
                if (received.EndOfMessage)
                {
                    messageBytes = 0;
                }
                end = await TakeAsync(buffer.AsMemory(0, received.Count)).ConfigureAwait(false);
            }
            end = await FinishAsync(end!.Value).ConfigureAwait(false);
            await ReleaseAsync().ConfigureAwait(false);      // ffmpeg and the predictor are gone before the client hears the end
            logger.LogInformation("live stream: {Reason} ({Seconds:0.#} s)", end.Value.Reason, clock.Elapsed.TotalSeconds);
            await CloseAsync(socket, end.Value.Status, end.Value.Reason, closeReceived ? null : pending).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away mid-message or mid-send; there is nobody to tell.
            logger.LogInformation("live stream: the client went away ({Message})", e.Message);
        }
        catch (Exception e)
        {
            // Nothing a client sends may take the server down; the socket is cut and everything below is still released.
            logger.LogWarning(e, "live stream: failed");
        }
        finally
        {
            if (socket.State is not WebSocketState.Closed)
            {
                socket.Abort();     // also ends a send to a client that stopped reading
            }
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops ffmpeg, waits for the pump and the sender, and disposes ffmpeg's process and the predictor (again: nothing).</summary>
    private async Task ReleaseAsync()
    {
        _source?.Stop();
        await Task.WhenAll(_pump, _sender).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _source?.Dispose();
        _source = null;
        if (_predictor is not null)
        {
            _predictor.Dispose();
            _predictor = null;
            predictors.Prepare();       // the next stream's, now that this one no longer needs the cores
        }
    }

    /// <summary>Closes the socket with <paramref name="status"/> and <paramref name="reason"/> (one line, at most the 123 bytes a close frame holds), then waits briefly for the client's close.</summary>
    public static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, Task<ValueWebSocketReceiveResult>? pending)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.CloseOutputAsync(status, CloseReason(reason), limit.Token).ConfigureAwait(false);
        // The client answers with its own close; a client that does not is cut off when the request ends.
        var buffer = new byte[1024];
        while (socket.State == WebSocketState.CloseSent && !limit.IsCancellationRequested)
        {
            pending ??= socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask();
            if (await Task.WhenAny(pending, Task.Delay(TimeSpan.FromSeconds(2), limit.Token)).ConfigureAwait(false) != pending || pending.IsFaulted)
            {
                return;
            }
            pending = null;
        }
    }

    /// <summary>Returns <paramref name="reason"/> on one line, cut to the 123 UTF-8 bytes a close frame's reason may have.</summary>
    internal static string CloseReason(string reason)
    {
        var line = string.Join(' ', reason.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (Encoding.UTF8.GetByteCount(line) <= 123)
        {
            return line;
        }
        while (Encoding.UTF8.GetByteCount(line) > 120)
        {
            line = line[..^1];
        }
        return line + "...";
    }

    /// <summary>Handles one piece of the stream: kept until ffprobe knows it, then written into ffmpeg.</summary>
    private async Task<(WebSocketCloseStatus, string)?> TakeAsync(ReadOnlyMemory<byte> bytes)
    {
        if (_head is null)
        {
            return await WriteAsync(bytes).ConfigureAwait(false);
        }
        _head.Write(bytes.Span);
        return _head.WrittenCount >= _probeAt ? await TryStartAsync(lastChance: false).ConfigureAwait(false) : null;
    }

    private async Task<(WebSocketCloseStatus, string)?> WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _source!.Input!.WriteAsync(bytes).ConfigureAwait(false);
            return null;
        }
        catch (IOException)
        {
            // ffmpeg is gone: it failed on the stream, or its watchdog stopped it.
            await _pump.ConfigureAwait(false);
            return SourceEnd();
        }
    }

    /// <summary>Probes the kept bytes; when they are video, starts ffmpeg, the predictor, the pump and the sender and hands ffmpeg the bytes.</summary>
    private async Task<(WebSocketCloseStatus, string)?> TryStartAsync(bool lastChance)
    {
        var head = _head!.WrittenMemory;
        try
        {
            _source = await Task.Run(() => FFMpegLiveSource.OpenPipe(head, StreamName, settings.StallTimeout)).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            if (lastChance || _head.WrittenCount >= MaxProbeBytes)
            {
                return (WebSocketCloseStatus.InvalidPayloadData, e.Message);
            }
            _probeAt = Math.Min(2 * _probeAt, MaxProbeBytes);
            return null;
        }
        try
        {
            // Kept open and warm since the previous stream (LivePredictors); it takes the frame rate from the frames' times.
            _predictor = await predictors.TakeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "live stream: the model could not be opened live");
            return (WebSocketCloseStatus.InternalServerError, $"the model could not be opened live: {e.Message}");
        }
        logger.LogInformation("live stream: {Width} x {Height}, {Audio}", _source.Width, _source.Height, _source.HasAudio ? "with audio" : "no audio");
        var source = _source;
        var predictor = _predictor;
        _pump = Task.Factory.StartNew(() => Pump(source, predictor), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _sender = SendResultsAsync(predictor);
        _head = null;
        var result = await WriteAsync(head).ConfigureAwait(false);
        return result;
    }

    /// <summary>The client ended its stream: the kept bytes get a last probe, or ffmpeg's input is closed so it finishes.</summary>
    private async Task<(WebSocketCloseStatus, string)?> EndOfStreamAsync()
    {
        if (_head is not null)
        {
            if (_head.WrittenCount == 0)
            {
                return (WebSocketCloseStatus.NormalClosure, "the stream ended before any bytes arrived: 0 frames");
            }
            if (await TryStartAsync(lastChance: true).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }
        }
        try
        {
            await _source!.Input!.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // ffmpeg is gone already; the pump says why.
        }
        // ffmpeg now decodes what it has and ends; a stream that ends mid-frame still ends.
        var finished = await Task.WhenAny(_pump, Task.Delay(settings.StallTimeout)).ConfigureAwait(false) == _pump;
        if (!finished)
        {
            _source!.Stop();
        }
        await _pump.ConfigureAwait(false);
        return SourceEnd();
    }

    /// <summary>Stops the input if it is still going, lets the predictor give its last results, and returns the close status and reason.</summary>
    private async Task<(WebSocketCloseStatus, string)> FinishAsync((WebSocketCloseStatus Status, string Reason) end)
    {
        if (_source is null)
        {
            return end;
        }
        _source.Stop();
        if (await _pump.ConfigureAwait(false) is { } pumpFailure)
        {
            end = (WebSocketCloseStatus.InternalServerError, pumpFailure);
        }
        // The predictor was completed by the pump: its last results come within moments.
        var sent = await Task.WhenAny(_sender, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false) == _sender;
        if (!sent)
        {
            return (WebSocketCloseStatus.InternalServerError, "the last results did not come within 30 s");
        }
        if (await _sender.ConfigureAwait(false) is { } failure)
        {
            return (WebSocketCloseStatus.InternalServerError, failure);
        }
        if (end.Status == WebSocketCloseStatus.NormalClosure)
        {
            var p = _predictor!;
            end = (end.Status, $"the stream ended: {p.FramesIn} frames in, {p.FramesScored} scored, {p.FramesDropped} dropped");
        }
        return end;
    }

    /// <summary>Returns why ffmpeg stopped, as a close status and reason.</summary>
    private (WebSocketCloseStatus, string) SourceEnd() => _source!.End switch
    {
        LiveSourceEnd.Stalled => (WebSocketCloseStatus.PolicyViolation, $"the stream stalled: no frame for {settings.StallTimeout.TotalSeconds:0.#} s"),
        LiveSourceEnd.Failed => (WebSocketCloseStatus.InvalidPayloadData, $"ffmpeg could not decode the stream: {_source.ErrorDetail}"),
        _ => (WebSocketCloseStatus.NormalClosure, "the stream ended"),
    };

    /// <summary>Runs on its own thread: frames from ffmpeg into the predictor, which is completed at the end; returns a failure, or null.</summary>
    private static string? Pump(FFMpegLiveSource source, SageLivePredictor predictor)
    {
        try
        {
            LivePump.Run(source, predictor);
            return null;
        }
        catch (Exception e)
        {
            source.Stop();
            return e.Message;
        }
        finally
        {
            predictor.Complete();
        }
    }

    /// <summary>Sends each result as one JSON text message; returns the predictor's failure, or null.</summary>
    private async Task<string?> SendResultsAsync(SageLivePredictor predictor)
    {
        await Task.Yield();
        try
        {
            await foreach (var r in predictor.ReadResultsAsync().ConfigureAwait(false))
            {
                var message = new LiveFrameMessage(r.Frame, r.Time, r.Valence, r.Arousal, r.Reliability, r.FaceFound, r.Dropped,
                    Math.Round(r.Delay.TotalMilliseconds, 1));
                await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, s_json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }
}

/// <summary>The JSON text message <c>GET /live</c> sends for each scored frame.</summary>
/// <param name="Frame">The frame's number in the stream, from 0.</param>
/// <param name="Time">The frame's time in the stream, in seconds.</param>
/// <param name="Valence">Valence in [−1, 1].</param>
/// <param name="Arousal">Arousal in [−1, 1].</param>
/// <param name="Reliability">The fusion weight (1 = an average frame).</param>
/// <param name="Face">Whether a face was found in the frame.</param>
/// <param name="Dropped">Whether the frame's image was dropped because the server fell behind (its result uses the previous face).</param>
/// <param name="Delay">Milliseconds from the frame's arrival at the predictor to its result.</param>
internal sealed record LiveFrameMessage(int Frame, double Time, float Valence, float Arousal, float Reliability, bool Face, bool Dropped, double Delay);

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sage.MLNet.Samples.Live;

/// <summary>Why a live source stopped giving frames.</summary>
internal enum LiveSourceEnd
{
    /// <summary>The source reached its end (a file, or a stream its sender closed).</summary>
    Ended,

    /// <summary>No frame came for the stall timeout.</summary>
    Stalled,

    /// <summary>ffmpeg failed (the source is not a video, or broke off).</summary>
    Failed,

    /// <summary>The user stopped it.</summary>
    Stopped,
}

/// <summary>
/// Reads anything ffmpeg reads as a live source (a file, optionally at its own speed; UDP, RTSP or HTTP; a V4L2 camera; bytes
/// written into ffmpeg's standard input, such as WebM chunks a browser sends) into frames of RGBA pixels, each with its time
/// and the 16 kHz mono audio that arrived up to it.
/// </summary>
/// <remarks>
/// <para>ffprobe first says which streams the source has. One ffmpeg process then writes the video as raw RGBA on its
/// standard output (frames scaled down to at most 1280 pixels a side, as face extraction decodes files) and the audio as
/// 16-bit PCM over a TCP connection to 127.0.0.1 that this reader listens on; its <c>showinfo</c> filter gives each frame's
/// time on standard error.</para>
/// <para>A watchdog stops ffmpeg when no frame has come for the stall timeout, so a source that stalls ends with a message
/// instead of a hang.</para>
/// </remarks>
internal sealed partial class FFMpegLiveSource : IDisposable
{
    public const int SampleRate = 16000;
    private const int MaxSide = 1280;

    /// <summary>
    /// Input options that keep ffmpeg from holding frames back: without them a frame-threaded decoder (VP8, H.264) gives a
    /// frame only once the next packets have come, which for a stream sent in pieces is the next piece, and a stream that does
    /// not state its frame rate (a browser's WebM) gives no frame until ffmpeg has seen enough frames to estimate one.
    /// </summary>
    /// <remarks>
    /// <c>-flags low_delay</c> turns the decoder's frame threading off (its slice threads stay). <c>-fpsprobesize 0</c> skips
    /// the frame-rate estimate, which nothing here uses (frames pass through with their own times). Measured on WebM cut in
    /// 250-ms pieces (README, "Live in the browser"): ffmpeg held each frame a whole piece, 252 ms at the median, before these
    /// options, and 12 ms after; on a recording from Chromium the first frame came 1.7 s after the stream started, and 0.14 s
    /// after.
    /// </remarks>
    internal static readonly string[] LowDelayInput = ["-flags", "low_delay", "-fpsprobesize", "0"];

    /// <summary>
    /// Options for the raw video output: one encoder thread. ffmpeg's rawvideo encoder is frame-threaded, and with its default
    /// thread count it keeps one or two frames in flight, which reach the pipe only when later frames push them out.
    /// </summary>
    internal static readonly string[] LowDelayVideoOutput = ["-threads", "1"];

    /// <summary>The name ffmpeg and ffprobe read standard input by.</summary>
    private const string StandardInput = "pipe:0";

    private readonly string _source;
    private readonly Process _ffmpeg;
    private readonly Stream _pixels;
    private readonly BlockingCollection<double> _times = new();
    private readonly List<string> _errors = [];
    private readonly Task _stderr;
    private readonly TcpListener? _audioListener;
    private readonly Task _audioTask = Task.CompletedTask;
    private readonly List<float> _audio = [];
    private readonly Lock _audioLock = new();
    private readonly Timer _watchdog;
    private readonly TimeSpan _stallTimeout;
    private long _lastFrameTicks = Stopwatch.GetTimestamp();
    private long _audioTaken;       // samples handed out so far
    private volatile bool _stalled;
    private volatile bool _stopped;

    private FFMpegLiveSource(string source, Process ffmpeg, int width, int height, TcpListener? audioListener, TimeSpan stallTimeout)
    {
        _source = source;
        _ffmpeg = ffmpeg;
        _pixels = ffmpeg.StandardOutput.BaseStream;
        Width = width;
        Height = height;
        Rgba = new byte[width * height * 4];
        _stallTimeout = stallTimeout;
        _stderr = Task.Run(ReadErrors);
        _audioListener = audioListener;
        if (audioListener is not null)
        {
            _audioTask = Task.Run(ReadAudio);
        }
        _watchdog = new Timer(_ => Watch(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
    }

    public int Width { get; }

    public int Height { get; }

    public bool HasAudio => _audioListener is not null;

    /// <summary>Gets ffmpeg's standard input, where the bytes of a source opened with <see cref="OpenPipe"/> go (null for other sources).</summary>
    public Stream? Input => _ffmpeg.StartInfo.RedirectStandardInput ? _ffmpeg.StandardInput.BaseStream : null;

    /// <summary>The frame rate ffprobe reported, or null.</summary>
    public double? FramesPerSecond { get; private init; }

    /// <summary>The last frame read: Width × Height × 4 bytes, R G B A.</summary>
    public byte[] Rgba { get; }

    /// <summary>The last frame's time, in seconds from the start of the stream.</summary>
    public double Time { get; private set; }

    /// <summary>The first frame's time, in seconds (NaN before it).</summary>
    public double FirstTime { get; private set; } = double.NaN;

    /// <summary>Why <see cref="Next"/> returned false.</summary>
    public LiveSourceEnd End { get; private set; }

    /// <summary>ffmpeg's last error lines, when it failed.</summary>
    public string ErrorDetail => _errors.Count > 0 ? string.Join(" | ", _errors.TakeLast(3)) : $"ffmpeg exit code {(_ffmpeg.HasExited ? _ffmpeg.ExitCode : -1)}";

    /// <summary>Probes <paramref name="source"/> and starts reading it; with <paramref name="loop"/> a file plays again and again (benchmarks).</summary>
    /// <param name="source">What ffmpeg reads: a file, a stream's URL, a V4L2 device.</param>
    /// <param name="realTime">Whether a file plays at its own speed.</param>
    /// <param name="stallTimeout">How long without a frame ends the source.</param>
    /// <param name="loop">Whether a file plays again and again.</param>
    /// <param name="probed">Called with ffprobe's frame rate (or null) after the probe and before ffmpeg starts. Get ready
    /// there (open the model): ffmpeg started earlier would, while the caller is not reading, be held on a full pipe (a file
    /// played at its own speed), or the source would pile up (a camera, a network stream), and the frames would then come in
    /// a burst of as many frames as the wait lasted.</param>
    /// <exception cref="InvalidDataException">ffprobe cannot read it, or it has no video stream; the message names the source.</exception>
    public static FFMpegLiveSource Open(string source, bool realTime, TimeSpan stallTimeout, bool loop = false, Action<double?>? probed = null)
    {
        var info = Probe(source, stallTimeout, head: null);
        probed?.Invoke(info.Rate);
        return Start(source, info, InputArguments(source, realTime, loop), stallTimeout);
    }

    /// <summary>
    /// Probes <paramref name="head"/>, the first bytes of a stream (a container ffmpeg reads from a pipe, such as WebM), and
    /// starts reading the stream from ffmpeg's standard input: write <paramref name="head"/> and then the rest into
    /// <see cref="Input"/>, and dispose <see cref="Input"/> at the stream's end.
    /// </summary>
    /// <exception cref="InvalidDataException">ffprobe cannot read the head as video; the message names <paramref name="name"/>.</exception>
    public static FFMpegLiveSource OpenPipe(ReadOnlyMemory<byte> head, string name, TimeSpan stallTimeout) =>
        Start(name, Probe(name, stallTimeout, head), ["-i", StandardInput], stallTimeout);

    private static FFMpegLiveSource Start(string source, (int Width, int Height, double? Rate, bool HasAudio) probed, string[] input, TimeSpan stallTimeout)
    {
        var (width, height, rate, hasAudio) = probed;
        var fromPipe = input[^1] == StandardInput;
        // The frames ffmpeg writes: scaled down (never up) to at most MaxSide a side, aspect kept.
        var scale = Math.Min(1.0, MaxSide / (double)Math.Max(width, height));
        int outWidth = Math.Max(2, (int)Math.Round(width * scale / 2) * 2), outHeight = Math.Max(2, (int)Math.Round(height * scale / 2) * 2);
        TcpListener? listener = null;
        if (hasAudio)
        {
            listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(1);
        }
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = fromPipe, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        List<string> arguments = [.. fromPipe ? Array.Empty<string>() : ["-nostdin"], "-hide_banner", "-nostats", "-v", "info", .. LowDelayInput, .. input];
        arguments.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough",
            "-vf", $"showinfo,scale={outWidth}:{outHeight}:flags=area,format=rgba", .. LowDelayVideoOutput, "-f", "rawvideo", "pipe:1"]);
        if (listener is not null)
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            arguments.AddRange(["-map", "0:a:0", "-vn", "-ac", "1", "-ar", $"{SampleRate}", "-f", "s16le", $"tcp://127.0.0.1:{port}"]);
        }
        arguments.ForEach(start.ArgumentList.Add);
        var ffmpeg = Process.Start(start) ?? throw new InvalidDataException($"source '{source}': ffmpeg could not be started");
        return new FFMpegLiveSource(source, ffmpeg, outWidth, outHeight, listener, stallTimeout) { FramesPerSecond = rate };
    }

    /// <summary>Reads the next frame into <see cref="Rgba"/> and <see cref="Time"/>; returns false at the end (see <see cref="End"/>).</summary>
    public bool Next()
    {
        var filled = 0;
        while (filled < Rgba.Length)
        {
            var read = _pixels.Read(Rgba, filled, Rgba.Length - filled);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        if (filled < Rgba.Length)
        {
            _ffmpeg.WaitForExit();
            _stderr.Wait();
            End = _stopped ? LiveSourceEnd.Stopped : _stalled ? LiveSourceEnd.Stalled : _ffmpeg.ExitCode == 0 && filled == 0 ? LiveSourceEnd.Ended : LiveSourceEnd.Failed;
            return false;
        }
        if (!_times.TryTake(out var time, TimeSpan.FromSeconds(5)))
        {
            End = LiveSourceEnd.Failed;
            _errors.Add("ffmpeg gave a frame without its timestamp");
            return false;
        }
        Time = time;
        if (double.IsNaN(FirstTime))
        {
            FirstTime = time;
        }
        Interlocked.Exchange(ref _lastFrameTicks, Stopwatch.GetTimestamp());
        return true;
    }

    /// <summary>Returns the audio samples that arrived up to the current frame's time and were not handed out yet.</summary>
    public float[] TakeAudio()
    {
        lock (_audioLock)
        {
            // The audio's first sample is taken to be at the first frame's time (both start when the source does).
            var until = Math.Min(_audioTaken + _audio.Count, (long)Math.Round((Time - FirstTime) * SampleRate));
            var count = (int)Math.Max(0, until - _audioTaken);
            var samples = _audio.GetRange(0, count).ToArray();
            _audio.RemoveRange(0, count);
            _audioTaken += count;
            return samples;
        }
    }

    /// <summary>Stops reading: ffmpeg is stopped and <see cref="Next"/> returns false with <see cref="LiveSourceEnd.Stopped"/>.</summary>
    public void Stop()
    {
        _stopped = true;
        Kill();
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        Kill();
        _ffmpeg.WaitForExit();
        _stderr.Wait();
        _audioListener?.Stop();
        try
        {
            _audioTask.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The audio connection broke as ffmpeg stopped.
        }
        _ffmpeg.Dispose();
        _times.Dispose();
    }

    private static string[] InputArguments(string source, bool realTime, bool loop)
    {
        List<string> arguments = loop ? ["-stream_loop", "-1"] : [];
        if (realTime)
        {
            arguments.Add("-re");
        }
        if (source.StartsWith("/dev/video", StringComparison.Ordinal))
        {
            arguments.AddRange(["-f", "v4l2"]);
        }
        arguments.AddRange(["-i", source]);
        return [.. arguments];
    }

    /// <summary>Runs ffprobe on <paramref name="source"/>, or with <paramref name="head"/> on its standard input when given.</summary>
    private static (int Width, int Height, double? Rate, bool HasAudio) Probe(string source, TimeSpan timeout, ReadOnlyMemory<byte>? head)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardInput = head is not null, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        List<string> arguments = ["-v", "error", "-show_streams", "-of", "json"];
        if (source.StartsWith("/dev/video", StringComparison.Ordinal) && head is null)
        {
            arguments.AddRange(["-f", "v4l2"]);
        }
        arguments.Add(head is null ? source : StandardInput);
        arguments.ForEach(start.ArgumentList.Add);
        using var ffprobe = Process.Start(start) ?? throw new InvalidDataException($"source '{source}': ffprobe could not be started");
        var output = ffprobe.StandardOutput.ReadToEndAsync();
        var errors = ffprobe.StandardError.ReadToEndAsync();
        if (head is { } bytes)
        {
            try
            {
                using var input = ffprobe.StandardInput.BaseStream;
                input.Write(bytes.Span);
            }
            catch (IOException)
            {
                // ffprobe stopped reading (it has seen enough, or gave up); its exit code says which.
            }
        }
        if (!ffprobe.WaitForExit(timeout))
        {
            ffprobe.Kill();
            ffprobe.WaitForExit();
            throw new InvalidDataException($"source '{source}': nothing readable arrived within {timeout.TotalSeconds:0} s (is the stream being sent?)");
        }
        if (ffprobe.ExitCode != 0)
        {
            var line = errors.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ffprobe.ExitCode}";
            throw new InvalidDataException($"source '{source}' is not something ffmpeg can read as video: {line}");
        }
        using var json = JsonDocument.Parse(output.Result);
        JsonElement? video = null;
        var hasAudio = false;
        if (json.RootElement.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                if (type == "video" && video is null && stream.TryGetProperty("width", out _))
                {
                    video = stream;
                }
                hasAudio |= type == "audio";
            }
        }
        if (video is not { } v || v.GetProperty("width").GetInt32() <= 0 || v.GetProperty("height").GetInt32() <= 0)
        {
            throw new InvalidDataException($"source '{source}' has no video stream");
        }
        return (v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32(), Rate(v), hasAudio);
    }

    private static double? Rate(JsonElement stream)
    {
        foreach (var name in new[] { "avg_frame_rate", "r_frame_rate" })
        {
            if (stream.TryGetProperty(name, out var value) && value.GetString()?.Split('/') is [var n, var d]
                && double.TryParse(n, CultureInfo.InvariantCulture, out var num) && double.TryParse(d, CultureInfo.InvariantCulture, out var den) && num > 0 && den > 0)
            {
                return num / den;
            }
        }
        return null;
    }

    private void Watch()
    {
        if (!_ffmpeg.HasExited && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastFrameTicks)) > _stallTimeout)
        {
            _stalled = true;
            Kill();
        }
    }

    private void Kill()
    {
        try
        {
            if (!_ffmpeg.HasExited)
            {
                _ffmpeg.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private async Task ReadAudio()
    {
        using var client = await _audioListener!.AcceptTcpClientAsync();
        await using var pcm = client.GetStream();
        var bytes = new byte[8192];
        var carried = 0;
        int read;
        while ((read = await pcm.ReadAsync(bytes.AsMemory(carried))) > 0)
        {
            var available = carried + read;
            var whole = available / 2;
            lock (_audioLock)
            {
                for (var i = 0; i < whole; i++)
                {
                    _audio.Add(BitConverter.ToInt16(bytes, 2 * i) / 32768f);
                }
            }
            carried = available - 2 * whole;
            if (carried > 0)
            {
                bytes[0] = bytes[2 * whole];
            }
        }
    }

    private void ReadErrors()
    {
        try
        {
            while (_ffmpeg.StandardError.ReadLine() is { } line)
            {
                var match = ShowInfoLine().Match(line);
                if (match.Success)
                {
                    _times.Add(double.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
                }
                else if (line.Length > 0 && !line.StartsWith(' ') && !line.Contains("Parsed_showinfo", StringComparison.Ordinal)
                    && !line.StartsWith("Input #", StringComparison.Ordinal) && !line.StartsWith("Output #", StringComparison.Ordinal)
                    && !line.StartsWith("Stream mapping", StringComparison.Ordinal) && !line.StartsWith("Press [q]", StringComparison.Ordinal))
                {
                    lock (_errors)
                    {
                        _errors.Add(line.Trim());
                    }
                }
            }
        }
        finally
        {
            _times.CompleteAdding();
        }
    }

    [GeneratedRegex(@"Parsed_showinfo.*\sn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[0-9.eE+-]+)")]
    private static partial Regex ShowInfoLine();
}

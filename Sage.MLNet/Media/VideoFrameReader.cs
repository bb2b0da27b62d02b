using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FFMpegCore;

namespace Sage.MLNet.Media;

/// <summary>
/// Streams a video's frames out of one ffmpeg process, one at a time, each with its own timestamp; never holds more
/// than one frame. The library's one definition of a video frame lives here.
/// </summary>
/// <remarks>
/// <para>Frame i is the i-th frame ffmpeg decodes from the first video stream with <c>-fps_mode passthrough</c>: no frame
/// is duplicated or dropped to reach a constant rate, so a variable-frame-rate phone video gives as many frames as it
/// stores, and frame i's time is its own presentation time (ffmpeg's <c>showinfo</c> filter reports it), on ffmpeg's
/// timeline where the file's earliest stream starts at 0. The display matrix of a phone video is applied (frames come
/// upright). Frames are scaled down, never up, so the longer side is at most the reader's limit.</para>
/// <para><see cref="VideoFrameTimes"/> reads the same frames' times without their pixels, so audio aligns to the same frames.</para>
/// </remarks>
internal sealed partial class VideoFrameReader : IDisposable
{
    private const int ErrorLines = 5;

    private readonly string _videoFile;
    private readonly Process _ffmpeg;
    private readonly Stream _pixels;
    private readonly BlockingCollection<double> _times = new();
    private readonly Task _stderr;
    private readonly List<string> _errors = [];
    private readonly VideoFrame _frame;
    private int _next;
    private bool _ended;

    private VideoFrameReader(string videoFile, Process ffmpeg, int width, int height)
    {
        _videoFile = videoFile;
        _ffmpeg = ffmpeg;
        _pixels = ffmpeg.StandardOutput.BaseStream;
        _frame = new VideoFrame(width, height);
        _stderr = Task.Run(ReadErrors);
    }

    /// <summary>The width of every frame this reader gives, in pixels.</summary>
    public int Width => _frame.Width;

    /// <summary>The height of every frame this reader gives, in pixels.</summary>
    public int Height => _frame.Height;

    /// <summary>Probes <paramref name="videoFile"/> and starts decoding it.</summary>
    /// <param name="videoFile">The video.</param>
    /// <param name="ffOptions">Where ffmpeg and ffprobe are.</param>
    /// <param name="maxSide">The longest side of the frames given, in pixels; larger videos are scaled down (aspect kept).</param>
    /// <exception cref="InvalidDataException">The file is missing, not a video, or has no video stream; the message names it.</exception>
    public static VideoFrameReader Open(string videoFile, FFOptions ffOptions, int maxSide)
    {
        var (width, height) = OutputSize(videoFile, ffOptions, maxSide);
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(ffOptions))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(videoFile, $"showinfo,scale={width}:{height}:flags=area,format=rgba", ["-f", "rawvideo", "pipe:1"]))
        {
            start.ArgumentList.Add(argument);
        }
        var ffmpeg = Process.Start(start) ?? throw new InvalidDataException($"video '{videoFile}': ffmpeg could not be started to decode it");
        return new VideoFrameReader(videoFile, ffmpeg, width, height);
    }

    /// <summary>The ffmpeg arguments every frame reader of the library shares: which frames, in which order, with which times.</summary>
    internal static string[] Arguments(string videoFile, string filters, string[] output) =>
        ["-nostdin", "-hide_banner", "-nostats", "-v", "info", "-i", videoFile,
         "-map", "0:v:0", "-an", "-sn", "-dn", "-fps_mode", "passthrough", "-vf", filters, .. output];

    /// <summary>Reads the next frame into the reader's one buffer; returns null after the last.</summary>
    /// <exception cref="InvalidDataException">ffmpeg fails part way (a truncated or corrupt file); the message names the video and quotes ffmpeg.</exception>
    public VideoFrame? Next()
    {
        if (_ended)
        {
            return null;
        }
        var buffer = _frame.Rgba;
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = _pixels.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        if (filled < buffer.Length)
        {
            _ended = true;
            Finish(partial: filled > 0);
            return null;
        }
        _frame.Index = _next;
        _frame.Time = NextTime();
        _next++;
        return _frame;
    }

    /// <summary>The number of frames given so far.</summary>
    public int FramesRead => _next;

    /// <summary>Stops ffmpeg if it still runs and waits for it.</summary>
    public void Dispose()
    {
        if (!_ffmpeg.HasExited)
        {
            try
            {
                _ffmpeg.Kill();
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }
        _ffmpeg.WaitForExit();
        _stderr.Wait();
        _ffmpeg.Dispose();
        _times.Dispose();
    }

    /// <summary>Returns the frames' size after the display matrix and the scaling, each side at least 1.</summary>
    internal static (int Width, int Height) OutputSize(string videoFile, FFOptions ffOptions, int maxSide)
    {
        if (string.IsNullOrEmpty(videoFile))
        {
            throw new InvalidDataException("a row has an empty video file path");
        }
        if (!File.Exists(videoFile))
        {
            throw new InvalidDataException($"video '{videoFile}' does not exist");
        }
        var video = VideoProbe.Analyse(videoFile, ffOptions).PrimaryVideoStream
            ?? throw new InvalidDataException($"video '{videoFile}' has no video stream");
        int storedWidth = video.Width ?? 0, storedHeight = video.Height ?? 0;
        if (storedWidth <= 0 || storedHeight <= 0)
        {
            throw new InvalidDataException($"video '{videoFile}': ffprobe reports a frame size of {storedWidth} × {storedHeight}");
        }
        // ffmpeg applies a phone video's display matrix, so a quarter turn swaps the sides.
        var upright = Math.Abs(video.Rotation) % 180 != 90;
        var width = upright ? storedWidth : storedHeight;
        var height = upright ? storedHeight : storedWidth;
        var scale = Math.Min(1.0, maxSide / (double)Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    private double NextTime()
    {
        // showinfo reports a frame before ffmpeg writes it, but on another pipe; wait for its line.
        if (_times.TryTake(out var time, TimeSpan.FromSeconds(30)))
        {
            return time;
        }
        throw new InvalidDataException($"video '{_videoFile}': ffmpeg gave frame {_next} without its timestamp");
    }

    private void Finish(bool partial)
    {
        _ffmpeg.WaitForExit();
        _stderr.Wait();
        if (_ffmpeg.ExitCode != 0 || partial)
        {
            var detail = _errors.Count > 0 ? string.Join(" | ", _errors.TakeLast(ErrorLines)) : $"exit code {_ffmpeg.ExitCode}";
            throw new InvalidDataException($"video '{_videoFile}': ffmpeg could not decode it after {_next} frames: {detail}");
        }
    }

    private void ReadErrors()
    {
        try
        {
            while (_ffmpeg.StandardError.ReadLine() is { } line)
            {
                if (ShowInfoTime(line) is double time)
                {
                    _times.Add(time);
                }
                else if (IsError(line))
                {
                    _errors.Add(line.Trim());
                }
            }
        }
        finally
        {
            _times.CompleteAdding();
        }
    }

    /// <summary>Returns the pts_time of a showinfo frame line, or null for any other line.</summary>
    internal static double? ShowInfoTime(string line)
    {
        var match = ShowInfoLine().Match(line);
        return match.Success ? double.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    // At -v info ffmpeg also prints the stream summary; errors are what remains once those lines are left out.
    private static bool IsError(string line) =>
        line.Length > 0 && !line.StartsWith(' ') && !line.StartsWith("Input #", StringComparison.Ordinal)
        && !line.StartsWith("Output #", StringComparison.Ordinal) && !line.StartsWith("Stream mapping", StringComparison.Ordinal)
        && !line.StartsWith("Press [q]", StringComparison.Ordinal) && !line.Contains("Parsed_showinfo", StringComparison.Ordinal);

    [GeneratedRegex(@"Parsed_showinfo.*\sn:\s*\d+\s+pts:\s*-?\d+\s+pts_time:(-?[0-9.eE+-]+)")]
    private static partial Regex ShowInfoLine();
}

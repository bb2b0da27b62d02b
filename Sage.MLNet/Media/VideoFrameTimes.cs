using System.Diagnostics;
using FFMpegCore;

namespace Sage.MLNet.Media;

/// <summary>
/// Reads the times of a video's frames, as <see cref="VideoFrameReader"/> defines its frames, without passing their
/// pixels: what audio featurisation aligns to.
/// </summary>
internal static class VideoFrameTimes
{
    /// <summary>Returns each frame's presentation time in seconds, on ffmpeg's timeline where the file starts at 0.</summary>
    /// <exception cref="InvalidDataException">ffmpeg cannot decode the video stream; the message names the file.</exception>
    public static double[] Read(string videoFile, FFOptions ffOptions)
    {
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath(ffOptions))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The same arguments as the pixel reader; the null muxer throws the decoded frames away.
        foreach (var argument in VideoFrameReader.Arguments(videoFile, "showinfo", ["-f", "null", "-"]))
        {
            start.ArgumentList.Add(argument);
        }
        using var ffmpeg = Process.Start(start) ?? throw new InvalidDataException($"video '{videoFile}': ffmpeg could not be started");
        var times = new List<double>();
        var errors = new List<string>();
        var stdout = ffmpeg.StandardOutput.ReadToEndAsync();
        while (ffmpeg.StandardError.ReadLine() is { } line)
        {
            if (VideoFrameReader.ShowInfoTime(line) is double time)
            {
                times.Add(time);
            }
            else if (line.Contains("rror", StringComparison.Ordinal) || line.Contains("nvalid", StringComparison.Ordinal))
            {
                errors.Add(line.Trim());
            }
        }
        ffmpeg.WaitForExit();
        stdout.Wait();
        if (ffmpeg.ExitCode != 0)
        {
            throw new InvalidDataException(
                $"video '{videoFile}': ffmpeg could not decode its video stream: {(errors.Count > 0 ? string.Join(" | ", errors.TakeLast(5)) : $"exit code {ffmpeg.ExitCode}")}");
        }
        return [.. times];
    }
}

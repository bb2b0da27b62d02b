using System.Text.Json;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>What ffprobe says about a video file that a prediction needs: that it has a video stream, and its frame rate.</summary>
/// <param name="FrameRate">Frames per second (ffprobe's average rate, else its base rate).</param>
/// <param name="Duration">The file's length in seconds as its container states it; 0 when it states none.</param>
/// <param name="HasAudio">Whether the file has an audio stream.</param>
internal sealed record VideoFacts(double FrameRate, double Duration, bool HasAudio)
{
    /// <summary>Returns the facts of <paramref name="path"/>, naming it <paramref name="name"/> in errors.</summary>
    /// <exception cref="InvalidDataException">ffprobe cannot read the file, or it has no video stream or no frame rate.</exception>
    public static async Task<VideoFacts> ReadAsync(string path, string name, CancellationToken cancellationToken)
    {
        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FFMpegException or JsonException or FormatException)
        {
            throw new InvalidDataException($"video '{name}' is not a file ffprobe can read ({FirstLine(e.Message)})", e);
        }
        var video = analysis.PrimaryVideoStream
            ?? throw new InvalidDataException($"video '{name}' has no video stream");
        var rate = new[] { video.AverageFrameRate, video.RealFrameRate }.FirstOrDefault(r => double.IsFinite(r) && r > 0);
        if (rate <= 0)
        {
            throw new InvalidDataException($"video '{name}' states no frame rate for its video stream");
        }
        return new VideoFacts(rate, analysis.Duration.TotalSeconds, analysis.PrimaryAudioStream is not null);
    }

    /// <summary>Returns <see cref="ReadAsync"/>'s answer, waiting for it.</summary>
    public static VideoFacts Read(string path, string name) => ReadAsync(path, name, CancellationToken.None).GetAwaiter().GetResult();

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.Length > 0) ?? message;
        return line.Length <= 200 ? line : line[..200];
    }
}

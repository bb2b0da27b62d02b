using System.Diagnostics;
using System.Globalization;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Makes benchmark inputs with ffmpeg in a temporary folder, deleted on dispose: face-crop folders and videos with sound.</summary>
internal sealed class SyntheticMedia : IDisposable
{
    public const int FramesPerSecond = 30;

    /// <summary>Creates an empty temporary folder for the inputs.</summary>
    public SyntheticMedia() => Root = Directory.CreateTempSubdirectory("sage-benchmark-").FullName;

    /// <summary>The temporary folder that holds every input made.</summary>
    public string Root { get; }

    /// <summary>Writes <paramref name="frames"/> moving test-pattern JPEGs of <paramref name="size"/>² named as Aff-Wild2 crops (<c>00001.jpg</c> = frame 0).</summary>
    public string FaceCrops(string name, int frames, int size = 112)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        FFMpeg($"-f lavfi -i testsrc2=size={size}x{size}:rate={FramesPerSecond} -frames:v {frames} -q:v 3 \"{Path.Combine(folder, "%05d.jpg")}\"");
        return folder;
    }

    /// <summary>Writes a video of <paramref name="minutes"/> at 30 fps, 64 × 48 pixels, with a 48 kHz AAC track of a tone whose pitch drifts.</summary>
    public string Video(string name, double minutes)
    {
        var path = Path.Combine(Root, name + ".mp4");
        var seconds = (minutes * 60).ToString(CultureInfo.InvariantCulture);
        FFMpeg($"-f lavfi -i color=c=gray:size=64x48:rate={FramesPerSecond} -f lavfi -i \"sine=frequency=300:beep_factor=3:sample_rate=48000\" " +
            $"-t {seconds} -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac \"{path}\"");
        return path;
    }

    private static void FFMpeg(string arguments)
    {
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", $"-y -v error {arguments}") { RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start ffmpeg");
        var errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        if (ffmpeg.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {arguments} failed ({ffmpeg.ExitCode}): {errors}");
        }
    }

    /// <summary>Deletes the folder and everything in it.</summary>
    public void Dispose() => Directory.Delete(Root, recursive: true);
}

using System.Diagnostics;

namespace Sage.MLNet.Tests.Media;

/// <summary>Makes tiny test videos with ffmpeg in a temporary folder.</summary>
internal sealed class TestVideos : IDisposable
{
    /// <summary>When the test tone starts in <see cref="WithToneFromOneSecond"/>, in seconds.</summary>
    public const double ToneStart = 1.0;

    public TestVideos()
    {
        Folder = Directory.CreateTempSubdirectory("sage-audio-").FullName;
    }

    public string Folder { get; }

    /// <summary>Returns a 3 s video at <paramref name="rate"/> (an ffmpeg rate such as 25 or 30000/1001) that is silent for 1 s, then a loud 440 Hz tone.</summary>
    public string WithToneFromOneSecond(string name, string rate, double seconds = 3) => Make(name,
        $"-f lavfi -i testsrc=size=64x48:rate={rate} -f lavfi -i \"aevalsrc='if(lt(t,{ToneStart}),0,0.5*sin(2*PI*440*t))':s=48000\" " +
        $"-t {seconds} -c:v libx264 -pix_fmt yuv420p -c:a aac");

    /// <summary>Returns a video of exactly <paramref name="frames"/> frames at 25 fps with a quiet tone; <paramref name="options"/> go to ffmpeg's output.</summary>
    public string WithFrames(string name, int frames, string options = "") => Make(name,
        $"-f lavfi -i testsrc=size=64x48:rate=25 -f lavfi -i \"sine=frequency=440:sample_rate=16000\" " +
        $"-frames:v {frames} -t {frames / 25.0:F2} -c:v libx264 -pix_fmt yuv420p -c:a aac {options}");

    public string WithoutAudio(string name) => Make(name,
        "-f lavfi -i testsrc=size=64x48:rate=25 -t 2 -c:v libx264 -pix_fmt yuv420p -an");

    /// <summary>Returns the first 40% of a 2 s video's bytes: its index (moov atom, written last) is lost.</summary>
    public string Truncated(string name)
    {
        var whole = WithToneFromOneSecond("whole-" + name, "25", 2);
        var bytes = File.ReadAllBytes(whole);
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 5)]);
        return path;
    }

    public string TextRenamed(string name)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, "this is not a video\n");
        return path;
    }

    private string Make(string name, string arguments)
    {
        var path = Path.Combine(Folder, name);
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", $"-y -v error {arguments} \"{path}\"")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        Assert.AreEqual(0, ffmpeg.ExitCode, $"ffmpeg could not make test video {name}: {errors}");
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

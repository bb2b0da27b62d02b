using System.Diagnostics;
using System.Globalization;

namespace Sage.MLNet.Tests.Featurization.Faces.Extraction;

/// <summary>
/// Makes short, small moving videos of a real face with ffmpeg from astronaut.png (python3-skimage's public-domain
/// photograph, fetched and SHA-256 checked by eng/astronaut.sh), in a temporary folder deleted on dispose.
/// </summary>
internal sealed class FaceVideos : IDisposable
{
    public const int Width = 320;
    public const int Height = 180;
    public const int Rate = 25;

    /// <summary>The face's side in <see cref="Static"/>: the photograph scaled to this square.</summary>
    public const int PhotoSize = 160;

    public FaceVideos()
    {
        Folder = Directory.CreateTempSubdirectory("sage-faces-test-").FullName;
    }

    public string Folder { get; }

    private static readonly Lazy<string> s_photo = new(FetchPhoto);

    /// <summary>The photograph (eng/astronaut.sh fetches it into artifacts/media/ when it is not there yet).</summary>
    public static string Photo => s_photo.Value;

    private static string FetchPhoto()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Sage.MLNet.sln")))
        {
            root = root.Parent;
        }
        Assert.IsNotNull(root, "the face tests find eng/astronaut.sh from the repository root, above the test binaries");
        var photo = Path.Combine(root.FullName, "artifacts", "media", "astronaut.png");
        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root.FullName, "eng", "astronaut.sh"), photo])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = script.StandardError.ReadToEndAsync();
        script.StandardOutput.ReadToEnd();
        script.WaitForExit();
        Assert.AreEqual(0, script.ExitCode, $"eng/astronaut.sh could not fetch the test photograph: {errors.Result}");
        return photo;
    }

    /// <summary>The photograph at <see cref="PhotoSize"/>², still, at x = 80 on a black 320 × 180 frame; audio: a tone.</summary>
    public string Static(string name = "static.mp4", double seconds = 1) =>
        Make(name, $"[1:v]scale={PhotoSize}:{PhotoSize}[p];[0:v][p]overlay=x=80:y=10", seconds);

    /// <summary>The still face of <see cref="Static"/> with no audio track at all.</summary>
    public string StaticWithoutAudio(string name = "silent-film.mp4", double seconds = 1) =>
        Run(name, $"-f lavfi -i color=c=black:s={Width}x{Height}:r={Rate} -loop 1 -framerate {Rate} -i \"{Photo}\" " +
            $"-filter_complex \"[1:v]scale={PhotoSize}:{PhotoSize}[p];[0:v][p]overlay=x=80:y=10[v]\" -map \"[v]\" -an " +
            $"-t {seconds.ToString(CultureInfo.InvariantCulture)} -r {Rate} -c:v libx264 -preset ultrafast -pix_fmt yuv420p");

    /// <summary>The face moving right at <paramref name="pixelsPerSecond"/>.</summary>
    public string Pan(string name = "pan.mp4", double seconds = 1.6, int pixelsPerSecond = 80) =>
        Make(name, $"[1:v]scale={PhotoSize}:{PhotoSize}[p];[0:v][p]overlay=x='10+{pixelsPerSecond}*t':y=10", seconds);

    /// <summary>The face growing from 100 to 170 pixels and back.</summary>
    public string Zoom(string name = "zoom.mp4", double seconds = 1.6) =>
        Make(name, "[1:v]scale=w='100+70*sin(PI*t/1.6)':h='100+70*sin(PI*t/1.6)':eval=frame[p];[0:v][p]overlay=x=80:y=5", seconds);

    /// <summary>The face rotating to ±<paramref name="degrees"/>.</summary>
    public string Rotation(string name = "rotation.mp4", double seconds = 1.6, double degrees = 20) =>
        Make(name, $"[1:v]scale={PhotoSize}:{PhotoSize},rotate=a='{degrees.ToString(CultureInfo.InvariantCulture)}*PI/180*sin(2*PI*t/1.6)':c=black[p];[0:v][p]overlay=x=80:y=10", seconds);

    /// <summary>A large face on the left and a small one (60 px) on the right.</summary>
    public string TwoFaces(string name = "two.mp4", double seconds = 1) =>
        Make(name, $"[1:v]split[a][b];[a]scale={PhotoSize}:{PhotoSize}[big];[b]scale=80:80[small];[0:v][big]overlay=x=10:y=10[t];[t][small]overlay=x=230:y=50", seconds);

    /// <summary>The still face, with the frames from <paramref name="from"/> to <paramref name="to"/> seconds black.</summary>
    public string WithoutFaceBetween(double from, double to, string name = "gap.mp4", double seconds = 1.6) =>
        Make(name, $"[1:v]scale={PhotoSize}:{PhotoSize}[p];[0:v][p]overlay=x=80:y=10:enable='not(between(t,{from.ToString(CultureInfo.InvariantCulture)},{to.ToString(CultureInfo.InvariantCulture)}))'", seconds);

    /// <summary>Black frames only.</summary>
    public string NoFace(string name = "black.mp4", double seconds = 0.6) =>
        // No photograph input: ffmpeg waits forever on a looped input that no filter reads.
        Run(name, $"-f lavfi -i color=c=black:s={Width}x{Height}:r={Rate} -f lavfi -i sine=frequency=440:sample_rate=16000 " +
            $"-map 0:v -map 1:a -t {seconds.ToString(CultureInfo.InvariantCulture)} -r {Rate} -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");

    /// <summary>
    /// The still face, variable frame rate: 25 frames at 25 per second, then 10 frames at 10 per second (times 1.0, 1.1 … 1.9),
    /// stored with their own timestamps.
    /// </summary>
    /// <param name="name">The file name.</param>
    /// <param name="toneSeconds">The audio: a 440 Hz tone for this long, then silence; null: the tone throughout.</param>
    public string VariableRate(string name = "vfr.mp4", double? toneSeconds = null) =>
        // A millisecond time base all the way (filter and encoder): the default 1/25 would round 1.1 s to 1.12 s.
        Run(name, $"-f lavfi -i color=c=black:s={Width}x{Height}:r={Rate} -loop 1 -i \"{Photo}\" -f lavfi -i \"{Tone(toneSeconds)}\" " +
            $"-filter_complex \"[1:v]scale={PhotoSize}:{PhotoSize}[p];[0:v][p]overlay=x=80:y=10:shortest=1,select='lt(n,25)+gte(n,25)*not(mod(n-25,10))',settb=1/1000,setpts='if(lt(N,25),N/25,1+(N-25)/10)/TB'[v]\" " +
            "-map \"[v]\" -map 2:a -t 2 -fps_mode passthrough -enc_time_base:v 1/1000 -c:v libx264 -pix_fmt yuv420p -c:a aac");

    private static string Tone(double? seconds) => seconds is { } s
        ? $"sine=frequency=440:sample_rate=16000:duration={s.ToString(CultureInfo.InvariantCulture)},apad"
        : "sine=frequency=440:sample_rate=16000";

    /// <summary>
    /// The face drifting left and right while it grows and shrinks, gone (black) from 4.6 to 5.0 s, with a tone whose pitch
    /// and loudness wander: features that change all the time, for comparing a live stream with the offline result.
    /// </summary>
    public string Wandering(string name = "wandering.mp4", double seconds = 8) =>
        Run(name, $"-f lavfi -i color=c=black:s={Width}x{Height}:r={Rate} -loop 1 -framerate {Rate} -i \"{Photo}\" " +
            "-f lavfi -i \"aevalsrc='(0.3+0.25*sin(2*PI*t/2.3))*sin(2*PI*(260+120*sin(2*PI*t/3.1))*t)':s=16000\" " +
            "-filter_complex \"[1:v]scale=w='110+50*sin(2*PI*t/3.7)':h='110+50*sin(2*PI*t/3.7)':eval=frame[p];" +
            "[0:v][p]overlay=x='60+70*sin(2*PI*t/5.3)':y=5:enable='not(between(t,4.6,5))'[v]\" " +
            $"-map \"[v]\" -map 2:a -t {seconds.ToString(CultureInfo.InvariantCulture)} -r {Rate} -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");

    private string Make(string name, string filter, double seconds) =>
        Run(name, $"-f lavfi -i color=c=black:s={Width}x{Height}:r={Rate} -loop 1 -framerate {Rate} -i \"{Photo}\" -f lavfi -i sine=frequency=440:sample_rate=16000 " +
            $"-filter_complex \"{filter}[v]\" -map \"[v]\" -map 2:a -t {seconds.ToString(CultureInfo.InvariantCulture)} -r {Rate} -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");

    /// <summary>Runs ffmpeg with <paramref name="arguments"/> writing <paramref name="name"/> in the folder; returns its path.</summary>
    public string Run(string name, string arguments)
    {
        var path = Path.Combine(Folder, name);
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", $"-y -v error {arguments} \"{path}\"")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        if (!ffmpeg.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            ffmpeg.Kill();
            Assert.Fail($"ffmpeg did not finish test video {name} in 2 minutes");
        }
        Assert.AreEqual(0, ffmpeg.ExitCode, $"ffmpeg could not make test video {name}: {errors.Result}");
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

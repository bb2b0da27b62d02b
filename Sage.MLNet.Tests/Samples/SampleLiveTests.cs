using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sage.MLNet.Tests.Featurization.Faces.Extraction;
using Sage.MLNet.Tests.Live;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// <c>live</c> as a user runs it: a synthetic face video streamed over UDP on 127.0.0.1 by ffmpeg, the same file at its own
/// speed, and sources that are garbage or stay silent; each run ends by itself, with a summary or a one-line error.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SampleLiveTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(2);
    private static FaceVideos s_videos = null!;
    private static string s_model = null!;
    private static string s_video = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        s_videos = new FaceVideos();
        s_video = s_videos.Wandering(seconds: 8);
        s_model = LiveTestModel.Train(s_videos, [s_video, s_videos.Pan(seconds: 3)]);
    }

    [ClassCleanup]
    public static void Cleanup() => s_videos?.Dispose();

    [TestMethod]
    public void Live_UdpStreamFromFFMpeg_ScoresEveryFrameInOrderAndStopsCleanly()
    {
        var port = FreeUdpPort();
        var csv = Path.Combine(s_videos.Folder, "udp.csv");
        using var live = SampleProgram.Start(null, "live", "--model", s_model, "--source", $"udp://127.0.0.1:{port}", "--out", csv, "--seconds", "4", "--stall-timeout", "20");
        // The sender loops the file with a keyframe every second, so a receiver that starts late soon decodes.
        using var sender = Process.Start(new ProcessStartInfo("ffmpeg",
            ["-v", "error", "-re", "-stream_loop", "-1", "-i", s_video, "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-f", "mpegts", $"udp://127.0.0.1:{port}?pkt_size=1316"])
        { RedirectStandardError = true, UseShellExecute = false })!;
        ProgramRun run;
        try
        {
            run = Finish(live);
        }
        finally
        {
            sender.Kill();
            sender.WaitForExit();
        }

        Assert.AreEqual(0, run.ExitCode, $"{run.Output}\n{run.Error}");
        StringAssert.Contains(run.Output, "Live scoring ended: stopped after 4 s of stream");
        var rows = ReadCsv(csv);
        Assert.IsGreaterThanOrEqualTo(90, rows.Count, "about 4 s at 25 fps");
        CollectionAssert.AreEqual(Enumerable.Range(0, rows.Count).ToArray(), rows.Select(r => r.Frame).ToArray(), "every frame once, in order");
        Assert.IsTrue(rows.All(r => r.Valence is >= -1 and <= 1 && r.Arousal is >= -1 and <= 1));
        var featurised = rows.Where(r => !r.Dropped).ToList();
        Assert.IsGreaterThan(featurised.Count / 2, featurised.Count(r => r.Face), "the face is on screen nearly all the time; dropped frames have no crop of their own");
        var dropped = rows.Count(r => r.Dropped);
        StringAssert.Contains(run.Output, $"frames in {rows.Count:N0}, scored {rows.Count - dropped:N0}, dropped {dropped:N0}");
        StringAssert.Contains(run.Output, "p95");
    }

    [TestMethod]
    public void Live_FileAtItsOwnSpeed_GivesEveryFrameAndEndsWithTheSource()
    {
        var video = s_videos.Pan("pan-live.mp4", seconds: 2);
        var csv = Path.Combine(s_videos.Folder, "file.csv");

        var clock = Stopwatch.StartNew();
        var run = Finish(SampleProgram.Start(null, "live", "--model", s_model, "--source", video, "--realtime", "--out", csv));

        Assert.AreEqual(0, run.ExitCode, $"{run.Output}\n{run.Error}");
        StringAssert.Contains(run.Output, "Live scoring ended: the source ended");
        Assert.IsGreaterThan(TimeSpan.FromSeconds(2), clock.Elapsed, "--realtime plays the 2 s file at its own speed");
        var rows = ReadCsv(csv);
        CollectionAssert.AreEqual(Enumerable.Range(0, 50).ToArray(), rows.Select(r => r.Frame).ToArray());
        Assert.AreEqual(0.04, rows[1].Time - rows[0].Time, 1e-3);
    }

    [TestMethod]
    public void Live_GarbageSource_FailsWithOneLineNamingIt()
    {
        var garbage = Path.Combine(s_videos.Folder, "garbage.mp4");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7919 % 251))]);

        var run = Finish(SampleProgram.Start(null, "live", "--model", s_model, "--source", garbage));

        Assert.AreEqual(1, run.ExitCode, run.Output);
        StringAssert.StartsWith(run.Error, $"error: source '{garbage}' is not something ffmpeg can read as video");
    }

    [TestMethod]
    public void Live_SilentUdpSource_StopsAfterStallTimeoutWithMessage()
    {
        var port = FreeUdpPort();

        var clock = Stopwatch.StartNew();
        var run = Finish(SampleProgram.Start(null, "live", "--model", s_model, "--source", $"udp://127.0.0.1:{port}", "--stall-timeout", "3"));

        Assert.AreEqual(1, run.ExitCode, run.Output);
        StringAssert.Contains(run.Error, "nothing readable arrived within 3 s");
        Assert.IsLessThan(TimeSpan.FromSeconds(60), clock.Elapsed);
    }

    /// <summary>Waits for the program at most <see cref="s_limit"/>: a run that hangs fails the test (and is killed) instead of hanging it.</summary>
    private static ProgramRun Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_limit))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                Assert.Fail($"live did not stop within {s_limit.TotalSeconds} s:\n{output.Result}\n{error.Result}");
            }
            process.WaitForExit();
            return new ProgramRun(process.ExitCode, output.Result, error.Result);
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private static List<(int Frame, double Time, float Valence, float Arousal, bool Face, bool Dropped)> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.AreEqual("frame,time,valence,arousal,reliability,face,dropped,delay_ms", lines[0]);
        return [.. lines.Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return (int.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture),
                float.Parse(f[2], CultureInfo.InvariantCulture), float.Parse(f[3], CultureInfo.InvariantCulture), f[5] == "1", f[6] == "1");
        })];
    }
}

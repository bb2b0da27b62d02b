using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Sage.MLNet.Samples.Benchmarks;
using Sage.MLNet.Samples.Live;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// What keeps the browser path's delay short, checked by value: ffmpeg gives every frame of a piece once the piece is written,
/// without waiting for the next one, and the page's recorder slices the stream the way <c>benchmark live-serve</c> assumes.
/// </summary>
[TestClass]
public sealed partial class LiveLowDelayTests
{
    [TestMethod]
    public void OpenPipe_WebMWrittenPieceByPiece_GivesEveryFrameOfAPieceBeforeTheNextIsWritten()
    {
        var root = Directory.CreateTempSubdirectory("sage-live-low-delay-").FullName;
        try
        {
            // VP8 and Opus in WebM, as a browser records them, cut where a recorder with the page's time slice would cut it.
            var webm = Path.Combine(root, "pattern.webm");
            LiveServeTests.RunFFMpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=f=300:sample_rate=48000", "-t", "2",
                "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-g", "25", "-c:a", "libopus", webm);
            var bytes = File.ReadAllBytes(webm);
            // Chromium's recorder states no frame rate: its video track has no DefaultDuration. ffmpeg writes one; it becomes
            // a Void element of the same length here, so every other offset stays.
            var defaultDuration = bytes.AsSpan(0, 4096).IndexOf(new byte[] { 0x23, 0xE3, 0x83, 0x84 });
            Assert.IsGreaterThan(0, defaultDuration, "ffmpeg wrote no DefaultDuration to remove");
            new byte[] { 0xEC, 0x86, 0, 0, 0, 0, 0, 0 }.CopyTo(bytes, defaultDuration);
            File.WriteAllBytes(webm, bytes);
            var pieces = LiveSocketClient.TimeSlices(webm, LiveSocketClient.PageTimeSliceMs / 1000.0);
            var sendAt = LiveSocketClient.FrameSendTimes(webm, pieces).Select(f => f.SentAt).ToList();
            Assert.HasCount(50, sendAt);
            // ffprobe needs a few pieces to know the stream; the server probes its first 16 KB the same way.
            var head = pieces.FindIndex(p => p.End >= 16 * 1024);
            Assert.IsGreaterThanOrEqualTo(0, head);
            using var source = FFMpegLiveSource.OpenPipe(bytes.AsMemory(0, pieces[head].End), "pattern", TimeSpan.FromSeconds(30));
            var read = 0;
            var reader = Task.Factory.StartNew(() =>
            {
                while (source.Next())
                {
                    Interlocked.Increment(ref read);
                }
            }, TaskCreationOptions.LongRunning);
            source.Input!.Write(bytes, 0, pieces[head].End);
            source.Input.Flush();
            for (var k = head; k < pieces.Count; k++)
            {
                if (k > head)
                {
                    source.Input.Write(bytes, pieces[k - 1].End, pieces[k].End - pieces[k - 1].End);
                    source.Input.Flush();
                }
                // Every frame whose bytes have been written must come out now, with no more input: a decoder or an encoder that
                // keeps a frame in flight would give it only with the next piece, a whole time slice later.
                var expected = sendAt.Count(at => at <= pieces[k].SendAt);
                var clock = Stopwatch.StartNew();
                while (Volatile.Read(ref read) < expected && clock.Elapsed < TimeSpan.FromSeconds(15) && !reader.IsCompleted)
                {
                    Thread.Sleep(5);
                }
                Assert.AreEqual(expected, Volatile.Read(ref read), $"frames given after piece {k} of {pieces.Count} (up to {pieces[k].SendAt:0.00} s) was written, with no more input");
            }
            source.Input.Dispose();
            Assert.IsTrue(reader.Wait(TimeSpan.FromSeconds(30)), "ffmpeg did not end after its input closed");
            Assert.AreEqual(50, read);
            Assert.AreEqual(LiveSourceEnd.Ended, source.End, source.ErrorDetail);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [TestMethod]
    public void LivePage_TimeSlice_IsTheOneTheServeBenchmarkCutsBy()
    {
        var page = File.ReadAllText(Path.Combine(SampleProgram.RepositoryRoot(), "Sage.MLNet.Samples", "Web", "live.html"));

        var slice = TimeSlice().Match(page);

        Assert.IsTrue(slice.Success, "live.html no longer declares const TIMESLICE_MS");
        Assert.AreEqual(LiveSocketClient.PageTimeSliceMs, int.Parse(slice.Groups[1].Value, CultureInfo.InvariantCulture));
        StringAssert.Contains(page, "recorder.start(TIMESLICE_MS)");
    }

    [GeneratedRegex(@"const TIMESLICE_MS = (\d+);")]
    private static partial Regex TimeSlice();
}

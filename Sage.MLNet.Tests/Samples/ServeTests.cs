using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// The sample program's <c>serve</c> command as a real server on 127.0.0.1, driven with <see cref="HttpClient"/>: its
/// answers, its refusals (each a 4xx with one line naming the problem), and its temporary folder left empty after every request.
/// </summary>
[TestClass]
public sealed class ServeTests
{
    private const int UploadLimitMb = 1;

    private static string s_root = null!;
    private static string s_systemTemp = null!;
    private static string s_uploads = null!;
    private static string s_model = null!;
    private static string s_video = null!;
    private static string s_expectedCsv = null!;
    private static ServerProcess s_server = null!;
    private static HttpClient s_http = null!;

    [ClassInitialize]
    public static void StartServerOnce(TestContext _)
    {
        s_root = Directory.CreateTempSubdirectory("sage-serve-").FullName;
        s_uploads = Directory.CreateDirectory(Path.Combine(s_root, "uploads")).FullName;
        s_model = ServedModel.Make(Path.Combine(s_root, "model"));
        s_video = RealFaceVideo.Make(Path.Combine(s_root, "astronaut.mp4"));
        var csv = Path.Combine(s_root, "predict", "astronaut.csv");
        SampleProgram.RunSucceeding("predict", "--model", s_model, "--video", s_video, "--out", csv);
        s_expectedCsv = System.IO.File.ReadAllText(csv);
        s_systemTemp = Path.Combine(s_root, "tmp");
        s_server = ServerProcess.StartIn(s_systemTemp, "--model", s_model, "--jobs", "2", "--queue", "2", "--max-upload-mb", $"{UploadLimitMb}",
            "--timeout", "120", "--temp", s_uploads);
        s_http = new HttpClient { BaseAddress = s_server.Address, Timeout = TimeSpan.FromMinutes(3) };
    }

    /// <summary>The real-face video with its audio track removed (the frames copied as they are).</summary>
    private static string WithoutAudio()
    {
        var path = Path.Combine(s_root, "astronaut-silent.mp4");
        lock (s_http)
        {
            if (!System.IO.File.Exists(path))
            {
                using var ffmpeg = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffmpeg", ["-y", "-v", "error", "-i", s_video, "-an", "-c:v", "copy", path]))!;
                ffmpeg.WaitForExit();
                Assert.AreEqual(0, ffmpeg.ExitCode, "ffmpeg could not drop the audio track");
            }
        }
        return path;
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_http?.Dispose();
        s_server?.Dispose();
        if (s_root is not null && Directory.Exists(s_root))
        {
            Directory.Delete(s_root, recursive: true);
        }
    }

    [TestMethod]
    public async Task Health_RunningServer_AnswersOkWithItsLimits()
    {
        using var response = await s_http.GetAsync("health");

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual("ok", health.GetProperty("status").GetString());
        Assert.AreEqual("sage.zip", health.GetProperty("model").GetString());
        Assert.AreEqual(2, health.GetProperty("jobs").GetInt32());
        Assert.AreEqual(2, health.GetProperty("queue").GetInt32());
        Assert.AreEqual(0, health.GetProperty("running").GetInt32());
        // Streams are scored at the library's default lookahead, 8 frames, unless --lookahead says otherwise (README, "Live").
        Assert.AreEqual(8, health.GetProperty("liveLookahead").GetInt32());
    }

    [TestMethod]
    public void PredictCommand_RealFaceVideoWithoutCrops_FindsTheFaceWhereThePhotoIsAndWritesEveryFrame()
    {
        var lines = s_expectedCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual("frame,time,valence,arousal,reliability,face", lines[0]);
        var rows = lines[1..].Select(line => line.Split(',')).ToArray();
        Assert.HasCount(RealFaceVideo.Frames, rows);
        for (var t = 0; t < rows.Length; t++)
        {
            Assert.AreEqual(t, int.Parse(rows[t][0], CultureInfo.InvariantCulture));
            // A constant 25 fps file: each frame's own timestamp is t / 25 s.
            Assert.AreEqual(t / 25.0, double.Parse(rows[t][1], CultureInfo.InvariantCulture), 1e-6, $"frame {t}");
            Assert.IsTrue(rows[t][2..4].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).All(v => v is >= -1 and <= 1), lines[t + 1]);
            Assert.IsGreaterThan(0f, float.Parse(rows[t][4], CultureInfo.InvariantCulture), lines[t + 1]);
        }
        // The photo is whole in frames 0-79 and gone from frame 80 on.
        var faces = string.Concat(rows.Select(r => r[5]));
        Assert.AreEqual(new string('1', RealFaceVideo.FaceFrames) + new string('0', RealFaceVideo.Frames - RealFaceVideo.FaceFrames), faces);
        SampleProgram.AssertPlot(Path.Combine(s_root, "predict", "astronaut.png"));
        SampleProgram.AssertPlot(Path.Combine(s_root, "predict", "astronaut-faces.png"));
    }

    [TestMethod]
    public void PredictCommand_ModelSavedWithoutExtractionAndNoCrops_ExitsOneAskingForThem()
    {
        var run = SampleProgram.Run("predict", "--model", CropsOnlyModel(), "--video", s_video, "--out", Path.Combine(s_root, "crops-only", "a.csv"));

        Assert.AreEqual(1, run.ExitCode, run.Output);
        Assert.AreEqual($"error: video 'astronaut.mp4': the model '{ServedModel.CropsOnlyName}' was saved without face extraction and reads face crops; give their folder with --faces DIR",
            run.Error.Trim());
        Assert.IsFalse(Directory.Exists(Path.Combine(s_root, "crops-only")), "predict wrote output for a model it cannot run");
    }

    [TestMethod]
    public void Serve_ModelSavedWithoutExtraction_ExitsOneBeforeListening()
    {
        var process = SampleProgram.Start(null, "serve", "--model", CropsOnlyModel(), "--urls", "http://127.0.0.1:0", "--temp", Path.Combine(s_root, "uploads-crops-only"));
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
        }
        var run = SampleProgram.Finish(process);

        Assert.AreEqual(1, run.ExitCode, run.Output);
        Assert.AreEqual($"error: the model '{ServedModel.CropsOnlyName}' was saved without face extraction, so it cannot read an uploaded video; save it with SageModel.Save(..., extraction) (train and demo do)",
            run.Error.Trim());
        Assert.DoesNotContain("Serving", run.Output);
        Assert.IsFalse(Directory.Exists(Path.Combine(s_root, "uploads-crops-only")));
    }

    [TestMethod]
    public async Task Predict_RealFaceVideoAsCsv_SameBytesAsThePredictCommand()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = File("astronaut.mp4", System.IO.File.ReadAllBytes(s_video)) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await s_http.SendAsync(request);

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.AreEqual("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual(s_expectedCsv, await response.Content.ReadAsStringAsync());
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_RealFaceVideoAsJson_SameValuesAsThePredictCommand()
    {
        var (status, body) = await PostAsync(File("astronaut.mp4", System.IO.File.ReadAllBytes(s_video)));

        Assert.AreEqual(HttpStatusCode.OK, status, body);
        var json = JsonDocument.Parse(body).RootElement;
        var frames = json.GetProperty("frames").EnumerateArray().ToArray();
        var expected = ExpectedRows();
        Assert.HasCount(expected.Length, frames);
        for (var t = 0; t < frames.Length; t++)
        {
            var f = frames[t];
            Assert.AreEqual(expected[t], string.Join(',', f.GetProperty("frame").GetInt32(), f.GetProperty("time").GetDouble().ToString("R", CultureInfo.InvariantCulture),
                f.GetProperty("valence").GetSingle().ToString("R", CultureInfo.InvariantCulture), f.GetProperty("arousal").GetSingle().ToString("R", CultureInfo.InvariantCulture),
                f.GetProperty("reliability").GetSingle().ToString("R", CultureInfo.InvariantCulture), f.GetProperty("face").GetBoolean() ? 1 : 0), $"frame {t}");
        }
        Assert.AreEqual(expected.Count(row => row.EndsWith(",1", StringComparison.Ordinal)), json.GetProperty("faceFrames").GetInt32());
        Assert.AreEqual(RealFaceVideo.Frames / 25.0, json.GetProperty("seconds").GetDouble(), 1e-9);
        Assert.IsTrue(json.GetProperty("audio").GetBoolean(), "the video has an audio track");
        AssertUploadsDeleted();
    }

    [TestMethod]
    public void PredictCommand_VideoWithoutAudio_RefusedUnderSavedPolicyAndScoredWithMissingAudioZeros()
    {
        var silent = WithoutAudio();
        var csv = Path.Combine(s_root, "silent", "astronaut-silent.csv");

        var refused = SampleProgram.Run("predict", "--model", s_model, "--video", silent, "--out", Path.Combine(s_root, "silent-refused", "a.csv"));
        var scored = SampleProgram.Run("predict", "--model", s_model, "--video", silent, "--out", csv, "--missing-audio", "zeros");

        Assert.AreEqual(1, refused.ExitCode, refused.Output);
        StringAssert.Contains(refused.Error, "video 'astronaut-silent.mp4' has no audio track");
        StringAssert.Contains(refused.Error, "--missing-audio zeros");
        Assert.IsFalse(Directory.Exists(Path.Combine(s_root, "silent-refused")), "predict wrote output for a video it refused");
        Assert.AreEqual(0, scored.ExitCode, scored.Error);
        StringAssert.Contains(scored.Output, "no audio track: scored with zero audio features");
        var rows = System.IO.File.ReadAllLines(csv)[1..].Select(line => line.Split(',')).ToArray();
        Assert.HasCount(RealFaceVideo.Frames, rows);
        Assert.AreEqual(new string('1', RealFaceVideo.FaceFrames) + new string('0', RealFaceVideo.Frames - RealFaceVideo.FaceFrames), string.Concat(rows.Select(r => r[5])));
        Assert.IsTrue(rows.All(r => float.Parse(r[2], CultureInfo.InvariantCulture) is >= -1 and <= 1), "valence in [-1, 1]");
        Assert.AreNotEqual(string.Join('\n', ExpectedRows()), string.Join('\n', rows.Select(r => string.Join(',', r))), "zero audio features should change the prediction");
    }

    [TestMethod]
    public async Task Predict_VideoWithoutAudio_Answers400NamingTheFlag()
    {
        var (status, body) = await PostAsync(File("astronaut-silent.mp4", System.IO.File.ReadAllBytes(WithoutAudio())));

        Assert.AreEqual(HttpStatusCode.BadRequest, status, body);
        StringAssert.Contains(body, "video 'astronaut-silent' has no audio track");
        StringAssert.Contains(body, "--missing-audio zeros");
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_BurstBeyondJobsAndQueue_AnswersEveryRequestAndDeletesEveryUpload()
    {
        // 2 jobs + 2 waiting: of 7 requests sent at once, 4 are admitted and predicted; the others are refused at once
        // (a prediction takes over a second, so none of the first four has finished when the last ones arrive).
        var bytes = System.IO.File.ReadAllBytes(s_video);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 7).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "predict") { Content = File("astronaut.mp4", bytes) };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            using var response = await s_http.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), RetryAfter: response.Headers.RetryAfter?.Delta);
        }));
        var seconds = clock.Elapsed.TotalSeconds;

        var served = answers.Where(a => a.StatusCode == HttpStatusCode.OK).ToArray();
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
        Assert.HasCount(4, served, string.Join("\n", answers.Select(a => $"{a.StatusCode}: {a.Body}")));
        Assert.HasCount(3, refused);
        Assert.IsTrue(served.All(a => a.Body == s_expectedCsv), "a prediction made alongside others differs from predict's");
        Assert.IsTrue(refused.All(a => a.RetryAfter >= TimeSpan.FromSeconds(1) && a.Body.StartsWith("busy: ", StringComparison.Ordinal)));
        AssertUploadsDeleted();
        Console.WriteLine($"7 requests (4 predicted, 3 refused) in {seconds:F1} s: {4 / seconds:F2} videos/s with 2 jobs");
    }

    [TestMethod]
    public async Task Predict_LongerThanTheTimeout_Answers504AndDeletesTheUploadWhenThePredictionEnds()
    {
        var uploads = Path.Combine(s_root, "uploads-timeout");
        using var server = ServerProcess.Start("--model", s_model, "--timeout", "0.3", "--temp", uploads);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var response = await http.PostAsync("predict", File("astronaut.mp4", System.IO.File.ReadAllBytes(s_video)));

        Assert.AreEqual(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.AreEqual("the request took longer than this server's limit of 0.3 s\n", await response.Content.ReadAsStringAsync());
        // The prediction cannot be cut short: it ends in the background, then its folder goes.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Directory.EnumerateFileSystemEntries(uploads).Any() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
        CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(uploads), server.Output);
        Assert.AreEqual(0, server.Stop(), server.Output);
        Assert.IsFalse(Directory.Exists(uploads), "the server made its upload folder and should remove it when it stops");
    }

    [TestMethod]
    public async Task Predict_TextFile_Answers400NamingTheUpload()
    {
        var (status, reason) = await PostAsync(File("notes.txt", Encoding.UTF8.GetBytes("this is not a video\n")));

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        StringAssert.StartsWith(reason, "video 'notes.txt' is not a file ffprobe can read");
        AssertOneLineWithoutServerPaths(reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_AudioOnlyFile_Answers400SayingItHasNoVideoStream()
    {
        var tone = Path.Combine(s_root, "tone.m4a");
        Ffmpeg("-f lavfi -i sine=frequency=440:sample_rate=16000 -t 1 -c:a aac", tone);

        var (status, reason) = await PostAsync(File("tone.m4a", System.IO.File.ReadAllBytes(tone)));

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("video 'tone.m4a' has no video stream\n", reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_VideoWithoutAFace_Answers400NamingTheUpload()
    {
        var pattern = Path.Combine(s_root, "pattern.mp4");
        // With a sound track: a video with neither face nor sound is refused for its missing audio first.
        Ffmpeg("-f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i sine=frequency=440:sample_rate=16000 -t 1 -pix_fmt yuv420p -c:v libx264 -c:a aac", pattern);

        var (status, reason) = await PostAsync(File("pattern.mp4", System.IO.File.ReadAllBytes(pattern)));

        Assert.AreEqual(HttpStatusCode.BadRequest, status, $"{reason}\n{s_server.Output}");
        StringAssert.StartsWith(reason, "video 'pattern.mp4': no face was found in any of its 25 frames");
        AssertOneLineWithoutServerPaths(reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_TruncatedVideo_Answers400NamingTheUpload()
    {
        // ffmpeg writes an MP4's index last: the first 40% of the file has frames but no index.
        var bytes = System.IO.File.ReadAllBytes(s_video);

        var (status, reason) = await PostAsync(File("cut.mp4", bytes[..(bytes.Length * 2 / 5)]));

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        StringAssert.StartsWith(reason, "video 'cut.mp4' is not a file ffprobe can read");
        AssertOneLineWithoutServerPaths(reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_EmptyFile_Answers400()
    {
        var (status, reason) = await PostAsync(File("empty.mp4", []));

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("the uploaded video 'empty.mp4' is empty\n", reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_NoVideoField_Answers400NamingTheField()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(System.IO.File.ReadAllBytes(s_video)), "clip", "astronaut.mp4" } };

        var (status, reason) = await PostAsync(form);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("the multipart body has no field named 'video'\n", reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_NotMultipart_Answers400SayingWhatItExpects()
    {
        using var body = new ByteArrayContent(System.IO.File.ReadAllBytes(s_video));
        body.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");

        var (status, reason) = await PostAsync(body);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        Assert.AreEqual("expected a multipart/form-data body with the video in the field 'video', got Content-Type 'video/mp4'\n", reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_MultipartWithoutClosingBoundary_Answers400()
    {
        var text = "--cut\r\nContent-Disposition: form-data; name=\"video\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n" + new string('x', 5000);
        using var body = new ByteArrayContent(Encoding.ASCII.GetBytes(text));
        body.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=cut");

        var (status, reason) = await PostAsync(body);

        Assert.AreEqual(HttpStatusCode.BadRequest, status);
        StringAssert.StartsWith(reason, "the multipart body is malformed or cut short");
        AssertOneLineWithoutServerPaths(reason);
        AssertUploadsDeleted();
    }

    [TestMethod]
    public async Task Predict_UploadOverTheLimit_Answers413WithTheLimit()
    {
        var (status, reason) = await PostAsync(File("big.mp4", new byte[UploadLimitMb * 1024 * 1024 + 100_000]));

        Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.AreEqual($"the upload is larger than this server's limit of {UploadLimitMb} MB\n", reason);
        AssertUploadsDeleted();
    }

    /// <summary>The lines of predict's CSV for the video, without the header.</summary>
    private static string[] ExpectedRows() => s_expectedCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];

    private static MultipartFormDataContent File(string name, byte[] bytes) =>
        new() { { new ByteArrayContent(bytes), "video", name } };

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpContent content)
    {
        using (content)
        {
            using var response = await s_http.PostAsync("predict", content);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private static void AssertOneLineWithoutServerPaths(string reason)
    {
        Assert.AreEqual(1, reason.Count(c => c == '\n'), reason);
        Assert.EndsWith("\n", reason);
        Assert.DoesNotContain(s_uploads, reason);
    }

    private static string CropsOnlyModel() => Path.Combine(Path.GetDirectoryName(s_model)!, ServedModel.CropsOnlyName);

    /// <summary>
    /// Asserts the server's upload folder becomes empty (each request deletes its folder right after answering) and that no
    /// face crops are left in its system temporary folder (the extraction's cache entry for an upload goes with it).
    /// </summary>
    private static void AssertUploadsDeleted()
    {
        var crops = Path.Combine(s_systemTemp, "sage-faces");
        string[] Left() => [.. Directory.GetFileSystemEntries(s_uploads), .. Directory.Exists(crops) ? Directory.GetFileSystemEntries(crops) : []];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Left().Length > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
        CollectionAssert.AreEqual(Array.Empty<string>(), Left(), $"left behind; server said:\n{s_server.Output}");
    }

    private static void Ffmpeg(string arguments, string output)
    {
        using var ffmpeg = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ffmpeg", $"-y -v error {arguments} \"{output}\"")
        {
            RedirectStandardError = true,
        })!;
        var errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        Assert.AreEqual(0, ffmpeg.ExitCode, errors);
    }
}

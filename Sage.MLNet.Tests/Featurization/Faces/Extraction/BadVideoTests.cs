using Microsoft.ML;

namespace Sage.MLNet.Tests.Featurization.Faces.Extraction;

/// <summary>
/// Face extraction on the videos people actually have: each gives a clear error naming the file, or works; a failure
/// leaves nothing in the crop cache.
/// </summary>
[TestClass]
public sealed class BadVideoTests
{
    private static FaceVideos s_videos = null!;

    [ClassInitialize]
    public static void MakeVideos(TestContext _) => s_videos = new FaceVideos();

    [ClassCleanup]
    public static void Cleanup() => s_videos?.Dispose();

    [TestMethod]
    public void ExtractFaces_TextRenamedMp4_FailsNamingTheFileAndCachesNothing()
    {
        var file = Path.Combine(s_videos.Folder, "notes.mp4");
        File.WriteAllText(file, "this is a shopping list, not a video\n");

        var (error, cache) = Fails(file);

        StringAssert.Contains(error.Message, file);
        StringAssert.Contains(error.Message, "cannot be read by ffprobe");
        AssertEmpty(cache);
    }

    [TestMethod]
    public void ExtractFaces_TruncatedFiles_FailNamingTheFileAndCacheNothing()
    {
        // Index at the end (ffmpeg's default for .mp4): cut in half, the index is gone and nothing can be read.
        var tail = Truncate(s_videos.Static("index-at-end.mp4", seconds: 1), "index-at-end-cut.mp4");
        // Index first (+faststart): the file opens and decoding fails part way.
        var head = Truncate(s_videos.Run("index-first.mp4",
            $"-f lavfi -i color=c=black:s=320x180:r=25 -loop 1 -framerate 25 -i \"{FaceVideos.Photo}\" -filter_complex \"[1:v]scale=160:160[p];[0:v][p]overlay=x=80:y=10[v]\" " +
            "-map \"[v]\" -t 2 -r 25 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -movflags +faststart"), "index-first-cut.mp4");

        var (tailError, tailCache) = Fails(tail);
        var (headError, headCache) = Fails(head);

        StringAssert.Contains(tailError.Message, tail);
        StringAssert.Contains(headError.Message, head);
        StringAssert.Contains(headError.Message, "could not decode it after");
        AssertEmpty(tailCache);
        AssertEmpty(headCache);
    }

    [TestMethod]
    public void ExtractFaces_AudioOnlyFile_FailsSayingItHasNoVideoStream()
    {
        var file = s_videos.Run("voice.m4a", "-f lavfi -i sine=frequency=440:sample_rate=16000 -t 1 -c:a aac");

        var (error, cache) = Fails(file);

        Assert.AreEqual($"video '{file}' has no video stream", error.Message);
        AssertEmpty(cache);
    }

    [TestMethod]
    public void ExtractFaces_VideoStreamWithZeroFrames_FailsSayingItHasNoFrames()
    {
        // A YUV4MPEG header with no frame after it: ffprobe sees a 64 × 48 video stream that decodes to nothing.
        var file = Path.Combine(s_videos.Folder, "empty.y4m");
        File.WriteAllText(file, "YUV4MPEG2 W64 H48 F25:1 Ip A1:1 C420jpeg\n");

        var (error, cache) = Fails(file);

        Assert.AreEqual($"video '{file}' has no video frames", error.Message);
        AssertEmpty(cache);
    }

    [TestMethod]
    public void ExtractFaces_OneFrameVideo_GivesOneCrop()
    {
        var file = s_videos.Run("one-frame.mp4",
            $"-f lavfi -i color=c=black:s=320x180:r=25 -i \"{FaceVideos.Photo}\" -filter_complex \"[1:v]scale=160:160[p];[0:v][p]overlay=x=80:y=10[v]\" " +
            "-map \"[v]\" -frames:v 1 -c:v libx264 -pix_fmt yuv420p");

        var row = Works(file, new SageFaceExtractionOptions());

        Assert.AreEqual(1, row.FrameCount);
        CollectionAssert.AreEqual(new[] { 1f }, row.FaceFound);
        CollectionAssert.AreEqual(new[] { 0.0 }, row.FrameTime);
        Assert.IsTrue(File.Exists(Path.Combine(row.FaceFolder, "00001.jpg")));
    }

    [TestMethod]
    public void ExtractFaces_PhoneVideoWithDisplayMatrix_IsReadUpright()
    {
        // Stored lying on its side (turned a quarter clockwise, 180 × 320) with a display matrix that turns it back (rotation 90,
        // which ffprobe counts anticlockwise), as phones store portrait video.
        var sideways = s_videos.Run("sideways.mp4",
            $"-f lavfi -i color=c=black:s=320x180:r=25 -loop 1 -framerate 25 -i \"{FaceVideos.Photo}\" " +
            "-filter_complex \"[1:v]scale=160:160[p];[0:v][p]overlay=x=80:y=10,transpose=1[v]\" -map \"[v]\" -t 0.4 -r 25 -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
        var tagged = s_videos.Run("phone.mp4", $"-i \"{sideways}\" -c copy -metadata:s:v rotate=90");

        var row = Works(tagged, new SageFaceExtractionOptions());
        var (uprightSize, uprightEyes) = FirstFrame(tagged);
        var (storedSize, storedEyes) = FirstFrame(sideways);

        Assert.AreEqual(10, row.FrameCount);
        Assert.AreEqual(10f, row.FaceFound.Sum());
        Assert.AreEqual((320, 180), uprightSize, "the display matrix is applied: frames come 320 × 180");
        Assert.IsGreaterThan(5 * Math.Abs(uprightEyes.Y), uprightEyes.X, $"upright: the eyes side by side, the right eye on the image's left ({uprightEyes})");
        Assert.AreEqual((180, 320), storedSize);
        Assert.IsGreaterThan(5 * Math.Abs(storedEyes.X), Math.Abs(storedEyes.Y), $"as stored: the eyes one above the other ({storedEyes})");
    }

    /// <summary>Returns the first frame's size and the vector from the first landmark (the person's right eye) to the second.</summary>
    private static ((int, int) Size, System.Drawing.PointF Eyes) FirstFrame(string video)
    {
        using var reader = Sage.MLNet.Media.VideoFrameReader.Open(video, global::FFMpegCore.GlobalFFOptions.Current, 1280);
        var frame = reader.Next()!;
        using var detector = new Sage.MLNet.Featurization.Faces.BlazeFaceDetector(SageFaceDetectorModel.BlazeFaceFullRange, 0.5f, 0.3f, 2);
        var face = detector.Detect(frame.Rgba, frame.Width, frame.Height).Single();
        var (right, left) = (face.Landmarks[0], face.Landmarks[1]);
        return ((frame.Width, frame.Height), new System.Drawing.PointF(left.X - right.X, left.Y - right.Y));
    }

    [TestMethod]
    public void ExtractFaces_8KVideo_IsDecodedAtMostMaxDecodeSizeAndWorks()
    {
        var file = s_videos.Run("8k.mp4",
            $"-f lavfi -i color=c=black:s=7680x4320:r=25 -i \"{FaceVideos.Photo}\" -filter_complex \"[1:v]scale=2400:2400[p];[0:v][p]overlay=x=2600:y=1000[v]\" " +
            "-map \"[v]\" -frames:v 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p");

        var row = Works(file, new SageFaceExtractionOptions());

        Assert.AreEqual(2, row.FrameCount);
        Assert.AreEqual(2f, row.FaceFound.Sum());
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(4097, 3)]
    public void ExtractFaces_OddFrameSize_IsReadAndFindsNoFace(int width, int height)
    {
        var raw = Path.Combine(s_videos.Folder, $"raw-{width}x{height}.rgb");
        File.WriteAllBytes(raw, new byte[width * height * 3 * 3]);
        var file = s_videos.Run($"odd-{width}x{height}.mkv", $"-f rawvideo -pix_fmt rgb24 -s {width}x{height} -r 25 -i \"{raw}\" -c:v ffv1 -pix_fmt yuv444p");

        var row = Works(file, new SageFaceExtractionOptions { NoFace = SageNoFacePolicy.Empty });
        var (error, cache) = Fails(file);

        Assert.AreEqual(3, row.FrameCount);
        CollectionAssert.AreEqual(new float[3], row.FaceFound);
        StringAssert.Contains(error.Message, $"video '{file}': no face was found in any of its 3 frames");
        AssertEmpty(cache);
    }

    [TestMethod]
    public void ExtractFaces_PathWithSpacesAndNonAscii_Works()
    {
        var folder = Directory.CreateDirectory(Path.Combine(s_videos.Folder, "mes vidéos 日本")).FullName;
        var file = Path.Combine(folder, "clip d'été ü.mp4");
        File.Copy(s_videos.Static("plain.mp4", seconds: 0.4), file);

        var row = Works(file, new SageFaceExtractionOptions { CacheFolder = Path.Combine(folder, "crops ü") });

        Assert.AreEqual(10, row.FrameCount);
        Assert.AreEqual(10f, row.FaceFound.Sum());
        StringAssert.StartsWith(row.FaceFolder, Path.Combine(folder, "crops ü"));
    }

    [TestMethod]
    public void ExtractFaces_MissingFile_FailsNamingIt()
    {
        var file = Path.Combine(s_videos.Folder, "gone.mp4");

        var (error, cache) = Fails(file);

        Assert.AreEqual($"video '{file}' does not exist", error.Message);
        AssertEmpty(cache);
    }

    private static string Truncate(string video, string name)
    {
        var bytes = File.ReadAllBytes(video);
        var cut = Path.Combine(s_videos.Folder, name);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        return cut;
    }

    private static (InvalidDataException Error, string Cache) Fails(string video)
    {
        var cache = Path.Combine(s_videos.Folder, "crops-" + Guid.NewGuid().ToString("N")[..8]);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Extract(video, new SageFaceExtractionOptions { CacheFolder = cache }));
        return (error, cache);
    }

    private static ExtractedRow Works(string video, SageFaceExtractionOptions options)
    {
        options.CacheFolder ??= Path.Combine(s_videos.Folder, "crops-" + Guid.NewGuid().ToString("N")[..8]);
        return Extract(video, options);
    }

    private static ExtractedRow Extract(string video, SageFaceExtractionOptions options)
    {
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = video }]);
        using var extraction = ml.Transforms.ExtractFaces(options).Fit(rows);
        return ml.Data.CreateEnumerable<ExtractedRow>(extraction.Transform(rows), reuseRowObject: false).Single();
    }

    /// <summary>Nothing half-written: the cache folder holds no crop folder and no temporary folder.</summary>
    private static void AssertEmpty(string cache)
    {
        var left = Directory.Exists(cache) ? Directory.GetFileSystemEntries(cache) : [];
        Assert.IsEmpty(left, $"left in the cache: {string.Join(", ", left)}");
    }

    private sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";
    }

    private sealed class ExtractedRow
    {
        public string FaceFolder { get; set; } = "";

        public int FrameCount { get; set; }

        public float[] FaceFound { get; set; } = [];

        public double[] FrameTime { get; set; } = [];
    }
}

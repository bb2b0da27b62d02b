using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Media;
using SkiaSharp;

namespace Sage.MLNet.Tests.Featurization.Faces.Extraction;

[TestClass]
public sealed class ExtractFacesTests
{
    private static FaceVideos s_videos = null!;

    [ClassInitialize]
    public static void MakeVideos(TestContext _) => s_videos = new FaceVideos();

    [ClassCleanup]
    public static void Cleanup() => s_videos?.Dispose();

    [TestMethod]
    public void Detect_AstronautFrame_FindsOneFaceWithEyesInsideItsBox()
    {
        var video = s_videos.Static("detect.mp4");
        using var reader = VideoFrameReader.Open(video, global::FFMpegCore.GlobalFFOptions.Current, 1280);
        var frame = reader.Next()!;
        using var detector = new BlazeFaceDetector(SageFaceDetectorModel.BlazeFaceFullRange, 0.5f, 0.3f, 2);
        var faces = detector.Detect(frame.Rgba, frame.Width, frame.Height);

        // The photograph sits at x 80–240, y 10–170; its face at about x 133–166, y 30–65 (measured by eye on the frame).
        Assert.HasCount(1, faces);
        var face = faces[0];
        Assert.IsGreaterThan(0.8f, face.Score);
        Assert.AreEqual(151, face.Box.X + face.Box.Width / 2, 6);
        Assert.AreEqual(49, face.Box.Y + face.Box.Height / 2, 6);
        Assert.AreEqual(30, face.Box.Width, 6);
        Assert.HasCount(6, face.Landmarks);
        foreach (var point in face.Landmarks.Take(4))
        {
            Assert.IsTrue(face.Box.Contains(point), $"{point} outside {face.Box}");
        }
        Assert.IsLessThan(face.Landmarks[1].X, face.Landmarks[0].X, "the person's right eye is on the image's left");
        Assert.IsGreaterThan(face.Landmarks[0].Y, face.Landmarks[3].Y, "the mouth is below the eyes");
    }

    [TestMethod]
    public void ExtractFaces_StillFace_WritesSteady112CropPerFrameInAffWild2Layout()
    {
        var video = s_videos.Static("still.mp4", seconds: 1);

        var row = Extract(new SageFaceExtractionOptions(), video).Single();

        Assert.AreEqual(25, row.FrameCount);
        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 25).ToArray(), row.FaceFound);
        for (var i = 0; i < 25; i++)
        {
            Assert.AreEqual(i / 25.0, row.FrameTime[i], 1e-3, $"frame {i}'s time");
        }
        var crops = Directory.GetFiles(row.FaceFolder, "*.jpg").Select(Path.GetFileName).Order().ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(1, 25).Select(i => $"{i:D5}.jpg").ToArray(), crops);
        using var crop = SKBitmap.Decode(Path.Combine(row.FaceFolder, "00021.jpg"));
        using var next = SKBitmap.Decode(Path.Combine(row.FaceFolder, "00022.jpg"));
        Assert.AreEqual(112, crop.Width);
        Assert.AreEqual(112, crop.Height);
        // Consecutive crops of a still face: 0.25 grey levels apart here (0.47 unsmoothed, 4.4 between frames 6 and 21,
        // which the encoder itself renders differently).
        var jitter = MeanAbsoluteDifference(crop, next);
        Assert.IsLessThan(1.0, jitter, $"a still face's crops do not jitter: mean difference {jitter}");
        Assert.IsFalse(Directory.Exists(Path.Combine(row.FaceFolder, "person-2")));
    }

    [TestMethod]
    public void ExtractFaces_SecondPass_ReadsTheCacheAndDetectsNothing()
    {
        var video = s_videos.Static("cached.mp4", seconds: 0.6);
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = video }]);
        using var extraction = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions { CacheFolder = CacheFolder() }).Fit(rows);

        var first = Rows(ml, extraction.Transform(rows)).Single();
        var decoded = extraction.Extractor.Timings.Frames;
        var written = File.GetLastWriteTimeUtc(Path.Combine(first.FaceFolder, "00001.jpg"));
        var second = Rows(ml, extraction.Transform(rows)).Single();

        Assert.AreEqual(15, decoded);
        Assert.AreEqual(decoded, extraction.Extractor.Timings.Frames, "the second pass decoded no frame");
        Assert.AreEqual(first.FaceFolder, second.FaceFolder);
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(Path.Combine(second.FaceFolder, "00001.jpg")));
        CollectionAssert.AreEqual(first.FaceFound, second.FaceFound);
        CollectionAssert.AreEqual(first.FrameTime, second.FrameTime);
    }

    [TestMethod]
    public void ExtractFaces_ShortGapBridgedLongGapLeftEmpty_OnePersonThroughout()
    {
        // At 25 frames/s: 0.39–0.51 s is frames 10–12 (3 frames, bridged); 0.39–0.91 s is frames 10–22 (13 frames, not).
        var shortGap = s_videos.WithoutFaceBetween(0.39, 0.51, "short-gap.mp4");
        var longGap = s_videos.WithoutFaceBetween(0.39, 0.91, "long-gap.mp4");

        var rows = Extract(new SageFaceExtractionOptions { MaxGapFrames = 5 }, shortGap, longGap);

        Assert.AreEqual(40, rows[0].FrameCount);
        Assert.AreEqual(40f, rows[0].FaceFound.Sum(), "the 3 missing frames get the held pose's crops");
        var expected = Enumerable.Range(0, 40).Select(i => i is >= 10 and <= 22 ? 0f : 1f).ToArray();
        CollectionAssert.AreEqual(expected, rows[1].FaceFound, string.Join(",", rows[1].FaceFound));
        Assert.IsFalse(File.Exists(Path.Combine(rows[1].FaceFolder, "00012.jpg")));
        Assert.IsTrue(File.Exists(Path.Combine(rows[1].FaceFolder, "00024.jpg")), "the face found again is the same person");
        Assert.IsFalse(Directory.Exists(Path.Combine(rows[1].FaceFolder, "person-2")));
    }

    [TestMethod]
    public void ExtractFaces_TwoFaces_MainPersonIsTheLargerAndTheOtherIsKeptApart()
    {
        var video = s_videos.TwoFaces("two-faces.mp4", seconds: 0.6);

        var row = Extract(new SageFaceExtractionOptions(), video).Single();
        var manifest = ExtractionManifest.TryRead(row.FaceFolder)!;

        Assert.HasCount(2, manifest.People);
        Assert.AreEqual("", manifest.People[0].Folder);
        Assert.AreEqual("person-2", manifest.People[1].Folder);
        Assert.IsGreaterThan(3.0, manifest.People[0].Presence / manifest.People[1].Presence, "160 px against 80 px: about 4× the area");
        Assert.AreEqual(15f, row.FaceFound.Sum());
        Assert.HasCount(15, Directory.GetFiles(Path.Combine(row.FaceFolder, "person-2"), "*.jpg"));
        // The main person's crop comes from the left half of the frame: its crops differ from the small face's.
        using var main = SKBitmap.Decode(Path.Combine(row.FaceFolder, "00001.jpg"));
        using var other = SKBitmap.Decode(Path.Combine(row.FaceFolder, "person-2", "00001.jpg"));
        Assert.IsGreaterThan(5.0, MeanAbsoluteDifference(main, other));
    }

    [TestMethod]
    public void ExtractFaces_RowPerPerson_GivesEachPersonARowWithLeftRightIds()
    {
        var two = s_videos.TwoFaces("pair.mp4", seconds: 0.6);
        var one = s_videos.Static("alone.mp4", seconds: 0.4);
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = two }, new VideoRow { VideoFile = one }]);
        using var extraction = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions { CacheFolder = CacheFolder(), RowPerPerson = true }).Fit(rows);

        var output = extraction.Transform(rows);
        var people = ml.Data.CreateEnumerable<PersonRow>(output, reuseRowObject: false).ToArray();

        Assert.AreEqual(TextDataViewType.Instance, output.Schema["PersonId"].Type);
        CollectionAssert.AreEqual(output.Schema.Select(c => (c.Name, c.Type)).ToArray(), extraction.GetOutputSchema(rows.Schema).Select(c => (c.Name, c.Type)).ToArray());
        // The large face (the main person) is on the left of the frame, the small one on the right.
        CollectionAssert.AreEqual(new[] { "pair_left", "pair_right", "alone" }, people.Select(p => p.PersonId).ToArray());
        CollectionAssert.AreEqual(new[] { two, two, one }, people.Select(p => p.VideoFile).ToArray());
        Assert.AreEqual(Path.Combine(people[0].FaceFolder, "person-2"), people[1].FaceFolder);
        Assert.AreEqual(15f, people[0].FaceFound.Sum());
        Assert.AreEqual(15f, people[1].FaceFound.Sum());
        Assert.HasCount(15, Directory.GetFiles(people[1].FaceFolder, "*.jpg"));
        Assert.AreEqual(10, people[2].FrameCount);
        using var features = ml.Transforms.FeaturizeFaces().Fit(output);
        var visual = features.Transform(output).GetColumn<float[]>("VisualFeatures").ToArray();
        Assert.HasCount(3, visual);
        CollectionAssert.AreNotEqual(visual[0][..512], visual[1][..512], "each person's row is featurised from their own crops");
    }

    [TestMethod]
    public void ExtractFaces_DetectorOfYourOwn_DrivesTheCropsAndKeysTheCache()
    {
        // Black frames: BlazeFace finds nothing, the user's detector reports a face with RetinaFace's five points on every frame.
        var video = s_videos.NoFace("own-detector.mp4");
        var cache = CacheFolder();
        using var first = new FixedDetector("fixed-v1");
        using var second = new FixedDetector("fixed-v2");

        var a = Extract(new SageFaceExtractionOptions { Detector = first, CacheFolder = cache }, video).Single();
        var b = Extract(new SageFaceExtractionOptions { Detector = second, CacheFolder = cache }, video).Single();

        CollectionAssert.AreEqual(Enumerable.Repeat(1f, 15).ToArray(), a.FaceFound);
        Assert.AreEqual(15, first.Calls);
        Assert.AreEqual(15, second.Calls, "another identity is another cache entry: detected again");
        Assert.AreNotEqual(a.FaceFolder, b.FaceFolder);
        Assert.IsFalse(first.Disposed, "the caller owns the detector");
        StringAssert.Contains(File.ReadAllText(Path.Combine(a.FaceFolder, "extraction.json")), "fixed-v1");
    }

    [TestMethod]
    public void ExtractFaces_NoFaceEver_FailsNamingTheFileOrGivesEmptyByOption()
    {
        var video = s_videos.NoFace("never.mp4");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Extract(new SageFaceExtractionOptions(), video));
        var empty = Extract(new SageFaceExtractionOptions { NoFace = SageNoFacePolicy.Empty }, video).Single();

        StringAssert.Contains(error.Message, video);
        StringAssert.Contains(error.Message, "no face was found in any of its 15 frames");
        Assert.AreEqual(15, empty.FrameCount);
        CollectionAssert.AreEqual(new float[15], empty.FaceFound);
        Assert.IsTrue(Directory.Exists(empty.FaceFolder));
        Assert.IsEmpty(Directory.GetFiles(empty.FaceFolder, "*.jpg"));
    }

    [TestMethod]
    public void ExtractFaces_VariableFrameRate_KeepsEveryStoredFrameWithItsOwnTime()
    {
        var video = s_videos.VariableRate("vfr.mp4");

        var row = Extract(new SageFaceExtractionOptions(), video).Single();

        // 25 frames at 25/s, then 10 at 10/s: 35 frames, where a constant-rate reading would give 50 over 2 s.
        Assert.AreEqual(35, row.FrameCount);
        Assert.AreEqual(0.96, row.FrameTime[24], 1e-3);
        Assert.AreEqual(1.0, row.FrameTime[25], 1e-3);
        Assert.AreEqual(1.1, row.FrameTime[26], 2e-3);
        Assert.AreEqual(1.9, row.FrameTime[34], 2e-3);
        Assert.AreEqual(35f, row.FaceFound.Sum());
    }

    [TestMethod]
    public void ExtractFaces_RotatingAndPanningFace_CropsHaveLevelEyesAtTheTemplate()
    {
        var rotation = s_videos.Rotation("rotation.mp4", seconds: 1.2, degrees: 25);
        var pan = s_videos.Pan("pan.mp4", seconds: 1.2);

        var rows = Extract(new SageFaceExtractionOptions(), rotation, pan);

        using var detector = new BlazeFaceDetector(SageFaceDetectorModel.BlazeFaceFullRange, 0.5f, 0.3f, 2);
        foreach (var row in rows)
        {
            Assert.AreEqual(30f, row.FaceFound.Sum(), row.FaceFolder);
            foreach (var frame in new[] { 1, 8, 15, 23, 30 })
            {
                // Detect again in the crop: the eyes must be level and near the template's (0.5 ± 0.157, 0.46) × 112. BlazeFace
                // finds the eyes of this small face (16 px apart in the frame) about 5 px left of the template in the upscaled
                // crop even without smoothing; the smoother's lag behind the turning face adds up to 6 more (measured).
                using var crop = DecodeRgba(Path.Combine(row.FaceFolder, $"{frame:D5}.jpg"));
                var face = detector.Detect(crop.Bytes, crop.Width, crop.Height).OrderByDescending(f => f.Score).First();
                var (right, left) = (face.Landmarks[0], face.Landmarks[1]);
                var where = $"{Path.GetFileName(row.VideoFile)} frame {frame}: eyes at {right}, {left}";
                Assert.AreEqual(right.Y, left.Y, 4f, $"{where}: not level");
                Assert.AreEqual(51.5f, (right.Y + left.Y) / 2, 6f, $"{where}: eye line");
                Assert.AreEqual(56f, (right.X + left.X) / 2, 12f, $"{where}: eye midpoint");
            }
        }
    }

    [TestMethod]
    public void FeaturizeAudio_VariableFrameRate_AlignsToEachFramesOwnTime()
    {
        // Tone until 1.2 s, then silence. Frame 25 is at 1.0 s (tone); at 25 / average rate (35 / 1.9 s) it would be 1.36 s (silent).
        var video = s_videos.VariableRate("vfr-tone.mp4", toneSeconds: 1.2);
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable([new VideoRow { VideoFile = video }]);
        using var extraction = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions { CacheFolder = CacheFolder() }).Fit(rows);
        var extracted = extraction.Transform(rows);
        using var audio = ml.Transforms.FeaturizeAudio().Fit(extracted);

        var features = audio.Transform(extracted).GetColumn<float[]>("AudioFeatures").Single();
        var frames = extracted.GetColumn<int>("FrameCount").Single();

        Assert.AreEqual(35, frames);
        Assert.HasCount(35 * audio.FeatureSize, features);
        // The mean log energy of the band holding 440 Hz (band 13 of 64 from 0 to 8 kHz on the mel scale) per frame.
        float Energy(int frame) => features.Skip(frame * audio.FeatureSize).Take(64).Max();
        Assert.AreEqual(Energy(10), Energy(25), 1.0f, "frame 25 (1.0 s) still hears the tone");
        Assert.AreEqual(Energy(10), Energy(26), 1.0f, "frame 26 (1.1 s) still hears the tone");
        Assert.IsLessThan(Energy(10) - 10, Energy(29), "frame 29 (1.3 s) is silent");
    }

    private static SKBitmap DecodeRgba(string jpeg)
    {
        using var decoded = SKBitmap.Decode(jpeg);
        return decoded.Copy(SKColorType.Rgba8888);
    }

    private static double MeanAbsoluteDifference(SKBitmap a, SKBitmap b)
    {
        var (x, y) = (a.Bytes, b.Bytes);
        return x.Zip(y, (p, q) => (double)Math.Abs(p - q)).Average();
    }

    private static string CacheFolder() => Path.Combine(s_videos.Folder, "crops-" + Guid.NewGuid().ToString("N")[..8]);

    private static ExtractedRow[] Extract(SageFaceExtractionOptions options, params string[] videos)
    {
        options.CacheFolder ??= CacheFolder();
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable(videos.Select(v => new VideoRow { VideoFile = v }).ToArray());
        using var extraction = ml.Transforms.ExtractFaces(options).Fit(rows);
        return Rows(ml, extraction.Transform(rows));
    }

    private static ExtractedRow[] Rows(MLContext ml, IDataView data) =>
        [.. ml.Data.CreateEnumerable<ExtractedRow>(data, reuseRowObject: false)];

    private sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";
    }

    /// <summary>A detector of the user's own that reports the same face, with five RetinaFace-style points, on every frame.</summary>
    private sealed class FixedDetector(string identity) : ISageFaceDetector
    {
        public int Calls { get; private set; }

        public bool Disposed { get; private set; }

        public string Identity => identity;

        public IReadOnlyList<SageFaceDetection> Detect(ReadOnlySpan<byte> rgba, int width, int height)
        {
            Calls++;
            return [new(new System.Drawing.RectangleF(120, 50, 60, 70),
                [new(138, 75), new(162, 75), new(150, 90), new(140, 102), new(160, 102)], 0.99f)];
        }

        public void Dispose() => Disposed = true;
    }

    private sealed class PersonRow
    {
        public string VideoFile { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public string PersonId { get; set; } = "";

        public int FrameCount { get; set; }

        public float[] FaceFound { get; set; } = [];
    }

    private sealed class ExtractedRow
    {
        public string VideoFile { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public int FrameCount { get; set; }

        public float[] FaceFound { get; set; } = [];

        public double[] FrameTime { get; set; } = [];
    }
}

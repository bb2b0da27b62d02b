using System.Diagnostics;

using FFMpegCore;

using Microsoft.ML;
using Microsoft.ML.Data;

using Sage.MLNet.Synthetic;
using Sage.MLNet.Tests.Media;

using SkiaSharp;

namespace Sage.MLNet.Tests.Synthetic;

[TestClass]
public sealed class SyntheticAffWild2Tests
{
    private const double Seconds = 3;
    private const double Fps = 25;
    private const int Frames = 75;

    private static string s_folder = "";
    private static SyntheticAffWild2Summary s_copy = null!;
    private static SyntheticAffWild2Summary s_sameSeed = null!;
    private static SyntheticAffWild2Summary s_otherSeed = null!;

    private readonly MLContext _ml = new(seed: 1);

    [ClassInitialize]
    public static void GenerateCopies(TestContext context)
    {
        s_folder = Directory.CreateTempSubdirectory("sage-synthetic-affwild2-").FullName;
        var watch = Stopwatch.StartNew();
        s_copy = SyntheticAffWild2.Generate(Path.Combine(s_folder, "a"), Tiny(seed: 7));
        context.WriteLine($"tiny copy written in {watch.Elapsed.TotalSeconds:F1} s");
        s_sameSeed = SyntheticAffWild2.Generate(Path.Combine(s_folder, "b"), Tiny(seed: 7));
        s_otherSeed = SyntheticAffWild2.Generate(Path.Combine(s_folder, "c"), Tiny(seed: 8));
    }

    [ClassCleanup]
    public static void DeleteCopies() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void LoadAffWild2_TinyCopy_ReadsEverySplitWithTFrames()
    {
        var train = Rows(AffWild2Split.Train);
        var validation = Rows(AffWild2Split.Validation);
        var test = Rows(AffWild2Split.Test);

        CollectionAssert.AreEqual(new[] { "1-25-160x120", "2-25-160x120_left", "2-25-160x120_right" }, train.Select(r => r.VideoId).ToArray());
        CollectionAssert.AreEqual(new[] { "3-25-160x120" }, validation.Select(r => r.VideoId).ToArray());
        CollectionAssert.AreEqual(new[] { "4-25-160x120" }, test.Select(r => r.VideoId).ToArray());
        CollectionAssert.AreEqual(s_copy.TrainVideoIds.ToArray(), train.Select(r => r.VideoId).ToArray());
        foreach (var row in train.Concat(validation).Concat(test))
        {
            Assert.AreEqual(Frames, row.FrameCount, row.VideoId);
            Assert.IsTrue(File.Exists(row.VideoFile), row.VideoId);
            Assert.IsTrue(Directory.Exists(row.FaceFolder), row.VideoId);
        }
        foreach (var row in train.Concat(validation))
        {
            Assert.HasCount(Frames, row.Valence);
            Assert.IsTrue(row.Valence.Concat(row.Arousal).All(v => v == SageLabels.NotAnnotated || Math.Abs(v) <= 1), row.VideoId);
        }
        Assert.IsEmpty(test[0].Valence);
        Assert.IsTrue(train.Concat(validation).Any(r => r.Valence.Contains(SageLabels.NotAnnotated)), "no -5 stretch anywhere");
    }

    [TestMethod]
    public void LoadAffWild2_TinyCopy_NotAnnotatedStretchesHaveBothValues()
    {
        foreach (var row in Rows(AffWild2Split.Train).Concat(Rows(AffWild2Split.Validation)))
        {
            for (var t = 0; t < row.FrameCount; t++)
            {
                Assert.AreEqual(row.Valence[t] == SageLabels.NotAnnotated, row.Arousal[t] == SageLabels.NotAnnotated, $"{row.VideoId} frame {t}");
            }
        }
    }

    [TestMethod]
    public void LoadAffWild2_TinyCopy_PairSharesOneVideoFileWithOwnTrajectories()
    {
        var train = Rows(AffWild2Split.Train);
        var left = train.Single(r => r.VideoId.EndsWith("_left", StringComparison.Ordinal));
        var right = train.Single(r => r.VideoId.EndsWith("_right", StringComparison.Ordinal));

        Assert.AreEqual(left.VideoFile, right.VideoFile);
        Assert.AreEqual("2-25-160x120.avi", Path.GetFileName(left.VideoFile));
        Assert.AreNotEqual(left.FaceFolder, right.FaceFolder);
        StringAssert.Contains(left.FaceFolder, "cropped_aligned_new_50_vids");
        CollectionAssert.AreNotEqual(left.Valence, right.Valence);
        Assert.HasCount(4, s_copy.VideoFiles);
    }

    [TestMethod]
    public void LoadAffWild2_TinyCopy_TestLabelsStayOutOfChallengeFolders()
    {
        var testId = s_copy.TestVideoIds.Single();
        var annotationFiles = Directory.EnumerateFiles(s_copy.Root, "*.txt", SearchOption.AllDirectories).ToList();

        Assert.IsFalse(annotationFiles.Any(f => f.Contains("VA_Estimation_Challenge", StringComparison.Ordinal) && Path.GetFileNameWithoutExtension(f) == testId));
        Assert.IsTrue(annotationFiles.Any(f => f.Contains(SyntheticCopyFiles.TestLabelFolder, StringComparison.Ordinal) && Path.GetFileNameWithoutExtension(f) == testId));
        CollectionAssert.AreEqual(new[] { testId }, File.ReadAllLines(s_copy.TestListFile));
    }

    [TestMethod]
    public void ValidateAffWild2_TinyCopy_ReportsNoIssues()
    {
        // The missing crops lie inside each video and the last crop always exists, which the validator accepts silently.
        foreach (var split in new[] { AffWild2Split.Train, AffWild2Split.Validation, AffWild2Split.Test })
        {
            var report = _ml.Data.ValidateAffWild2(s_copy.Root, split);
            Assert.IsEmpty(report.Issues, report.ToString());
        }
    }

    [TestMethod]
    public void Generate_TinyCopy_CropFoldersHaveDesignedGaps()
    {
        foreach (var row in Rows(AffWild2Split.Train))
        {
            var crops = Directory.GetFiles(row.FaceFolder, "*.jpg").Length;
            Assert.IsTrue(crops is >= Frames - 3 and < Frames, $"{row.VideoId}: {crops} crops");
            Assert.IsTrue(File.Exists(Path.Combine(row.FaceFolder, $"{Frames:D5}.jpg")), $"{row.VideoId}: last crop missing");
        }
    }

    [TestMethod]
    public void Generate_TinyCopy_VideosHaveFrameRateDurationAndAudio()
    {
        foreach (var file in s_copy.VideoFiles)
        {
            var analysis = FFProbe.Analyse(file);

            Assert.IsNotNull(analysis.PrimaryVideoStream, file);
            Assert.IsNotNull(analysis.PrimaryAudioStream, file);
            Assert.AreEqual(Fps, analysis.PrimaryVideoStream.AverageFrameRate, 1e-6, file);
            Assert.AreEqual(160, analysis.PrimaryVideoStream.Width);
            Assert.AreEqual(120, analysis.PrimaryVideoStream.Height);
            Assert.AreEqual(Seconds, analysis.PrimaryVideoStream.Duration.TotalSeconds, 0.05, file);
            Assert.AreEqual(Frames, DecodedFrames(file), file);
            Assert.AreEqual(Seconds, analysis.Duration.TotalSeconds, 0.1, file);
        }
        Assert.IsTrue(s_copy.VideoFiles.Any(f => f.EndsWith(".avi", StringComparison.Ordinal)));
        Assert.IsTrue(s_copy.VideoFiles.Any(f => f.EndsWith(".mp4", StringComparison.Ordinal)));
        foreach (var folder in new[] { "batch1", "batch2", "new_vids" })
        {
            Assert.IsTrue(s_copy.VideoFiles.Any(f => Path.GetFileName(Path.GetDirectoryName(f)) == folder), folder);
        }
    }

    [TestMethod]
    public void Generate_NtscFrameRate_WritesExactFraction()
    {
        var root = Path.Combine(s_folder, "ntsc");
        var copy = SyntheticAffWild2.Generate(root, new SyntheticAffWild2Options
        {
            TrainVideos = 1, ValidationVideos = 0, TestVideos = 0, SecondsPerVideo = 2, FramesPerSecond = 30000 / 1001.0,
        });

        var video = FFProbe.Analyse(copy.VideoFiles.Single()).PrimaryVideoStream!;

        Assert.AreEqual(60, copy.FramesPerVideo);
        Assert.AreEqual("1-30-160x120", copy.TrainVideoIds.Single());
        Assert.AreEqual(30000 / 1001.0, video.AverageFrameRate, 1e-6);
        Assert.AreEqual(60 * 1001 / 30000.0, video.Duration.TotalSeconds, 0.05);
        Assert.AreEqual(60, DecodedFrames(copy.VideoFiles.Single()));
        Assert.AreEqual(60, Rows(AffWild2Split.Train, root).Single().FrameCount);
    }

    [TestMethod]
    public void Generate_SameSeed_IdenticalAnnotationsCropsAndAudio()
    {
        var files = RelativeFiles(s_copy.Root);
        CollectionAssert.AreEqual(files, RelativeFiles(s_sameSeed.Root));
        foreach (var file in files.Where(f => !IsVideo(f)))
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(s_copy.Root, file)), File.ReadAllBytes(Path.Combine(s_sameSeed.Root, file)), file);
        }
        foreach (var file in files.Where(IsVideo))
        {
            CollectionAssert.AreEqual(SyntheticCopyReader.DecodeAudio(Path.Combine(s_copy.Root, file)),
                SyntheticCopyReader.DecodeAudio(Path.Combine(s_sameSeed.Root, file)), file);
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(s_copy.Root, file)), File.ReadAllBytes(Path.Combine(s_sameSeed.Root, file)), file);
        }
    }

    [TestMethod]
    public void Generate_OtherSeed_DifferentLabelsCropsAndAudio()
    {
        var annotation = Path.Combine(SyntheticCopyFiles.AnnotationRoot, "Train_Set", "1-25-160x120.txt");
        var crop = Path.Combine("cropped_aligned", "1-25-160x120", "00075.jpg");

        CollectionAssert.AreNotEqual(File.ReadAllBytes(Path.Combine(s_copy.Root, annotation)), File.ReadAllBytes(Path.Combine(s_otherSeed.Root, annotation)));
        CollectionAssert.AreNotEqual(File.ReadAllBytes(Path.Combine(s_copy.Root, crop)), File.ReadAllBytes(Path.Combine(s_otherSeed.Root, crop)));
        CollectionAssert.AreNotEqual(SyntheticCopyReader.DecodeAudio(s_copy.VideoFiles[0]), SyntheticCopyReader.DecodeAudio(s_otherSeed.VideoFiles[0]));
    }

    [TestMethod]
    public void Crops_PositiveValence_MouthMiddleLowerThanNegative()
    {
        var below = new List<double>();     // mean intensity just under the mouth line, where a smile's middle dips
        var above = new List<double>();
        foreach (var (row, labels, stages) in AnnotatedPeople())
        {
            for (var t = 0; t < row.FrameCount; t++)
            {
                var crop = Path.Combine(row.FaceFolder, $"{t + 1:D5}.jpg");
                if (stages.Any(s => s.Modality == "face" && s.Contains(t)) || !File.Exists(crop) || Math.Abs(labels[t].Valence) < 0.4 || labels[t].Valence == SageLabels.NotAnnotated)
                {
                    continue;
                }
                (labels[t].Valence > 0 ? below : above).Add(SyntheticCopyReader.MeanIntensity(crop, 0.44, 0.73, 0.56, 0.80));
            }
        }

        Assert.IsNotEmpty(below, "no clean frame with valence above 0.4");
        Assert.IsNotEmpty(above, "no clean frame with valence below -0.4");
        // The dark mouth stroke crosses the box for a smile and leaves it skin-coloured for a frown.
        Assert.IsLessThan(above.Average() - 40, below.Average(), $"positive {below.Average():F1}, negative {above.Average():F1}");
    }

    [TestMethod]
    public void Crops_Arousal_OpensEyes()
    {
        var opening = new List<(double Arousal, double Darkness)>();
        foreach (var (row, labels, stages) in AnnotatedPeople())
        {
            for (var t = 0; t < row.FrameCount; t++)
            {
                var crop = Path.Combine(row.FaceFolder, $"{t + 1:D5}.jpg");
                if (!stages.Any(s => s.Modality == "face" && s.Contains(t)) && File.Exists(crop) && labels[t].Arousal != SageLabels.NotAnnotated)
                {
                    opening.Add((labels[t].Arousal, 255 - SyntheticCopyReader.MeanIntensity(crop, 0.29, 0.36, 0.43, 0.48)));
                }
            }
        }

        Assert.IsGreaterThan(0.9, Correlation(opening.Select(o => o.Arousal).ToArray(), opening.Select(o => o.Darkness).ToArray()));
    }

    [TestMethod]
    public void Audio_CleanStages_LoudnessFollowsArousal()
    {
        var pairs = new List<(double Arousal, double Rms)>();
        foreach (var (row, labels, stages) in AnnotatedPeople().Where(p => !p.Row.VideoId.EndsWith("_right", StringComparison.Ordinal)))
        {
            var samples = SyntheticCopyReader.DecodeAudio(row.VideoFile);
            // Three frames of margin around stage edges let the 6 ms fades and AAC's 128 ms transform window settle.
            for (var t = 3; t < row.FrameCount - 3; t++)
            {
                if (!stages.Any(s => s.Modality == "audio" && t >= s.FirstFrame - 3 && t <= s.LastFrame + 3) && labels[t].Arousal != SageLabels.NotAnnotated)
                {
                    pairs.Add((labels[t].Arousal, SyntheticCopyReader.FrameRms(samples, t, Fps)));
                }
            }
        }

        Assert.IsGreaterThan(50, pairs.Count);
        Assert.IsGreaterThan(0.95, Correlation(pairs.Select(p => p.Arousal).ToArray(), pairs.Select(p => p.Rms).ToArray()));
        var high = pairs.Where(p => p.Arousal > 0.3).Select(p => p.Rms).DefaultIfEmpty(double.NaN).Average();
        var low = pairs.Where(p => p.Arousal < -0.3).Select(p => p.Rms).DefaultIfEmpty(double.NaN).Average();
        Assert.IsGreaterThan(2 * low, high, $"high-arousal RMS {high:F3}, low-arousal RMS {low:F3}");
    }

    [TestMethod]
    public void ReliabilityFile_TinyCopy_ListsEveryConditionInsideTheVideos()
    {
        var stages = SyntheticCopyReader.Stages(s_copy.ReliabilityFile);
        var ids = s_copy.TrainVideoIds.Concat(s_copy.ValidationVideoIds).Concat(s_copy.TestVideoIds).ToHashSet();

        Assert.AreEqual(SyntheticCopyFiles.ReliabilityHeader, File.ReadLines(s_copy.ReliabilityFile).First());
        foreach (var stage in stages)
        {
            Assert.Contains(stage.Video, ids);
            Assert.IsTrue(stage.FirstFrame >= 0 && stage.FirstFrame <= stage.LastFrame && stage.LastFrame < Frames, stage.ToString());
            Assert.AreEqual(stage.Modality, stage.Condition is "occluded" or "blurred" ? "face" : "audio", stage.ToString());
        }
        CollectionAssert.IsSubsetOf(new[] { "occluded", "blurred", "silent", "noise", "other_speaker" }, stages.Select(s => s.Condition).Distinct().ToArray());
        Assert.IsTrue(stages.Single(s => s.Condition == "other_speaker").Video.EndsWith("_right", StringComparison.Ordinal));
    }

    [TestMethod]
    public void ReliabilityFile_OccludedFrames_FaceRegionIsUniformGrey()
    {
        var occluded = SyntheticCopyReader.Stages(s_copy.ReliabilityFile).Where(s => s.Condition == "occluded").ToList();
        var checkedCrops = 0;
        foreach (var stage in occluded)
        {
            var folder = Rows(AffWild2Split.Train).Concat(Rows(AffWild2Split.Validation)).Concat(Rows(AffWild2Split.Test))
                .Single(r => r.VideoId == stage.Video).FaceFolder;
            foreach (var t in new[] { stage.FirstFrame, stage.LastFrame })
            {
                var crop = Path.Combine(folder, $"{t + 1:D5}.jpg");
                if (!File.Exists(crop))
                {
                    continue;
                }
                using var bitmap = SKBitmap.Decode(crop);
                var region = SyntheticCopyReader.Pixels(bitmap, 0.2, 0.2, 0.8, 0.8).ToList();
                Assert.IsTrue(region.All(c => Math.Abs(c.Red - 128) <= 3 && Math.Abs(c.Green - 128) <= 3 && Math.Abs(c.Blue - 128) <= 3), $"{crop} is not uniform grey");
                checkedCrops++;
            }
        }
        // Just outside a stage the face is visible again.
        var first = occluded[0];
        var outside = first.FirstFrame > 0 ? first.FirstFrame - 1 : first.LastFrame + 1;
        var outsideCrop = Path.Combine(Rows(AffWild2Split.Train).Concat(Rows(AffWild2Split.Validation)).Concat(Rows(AffWild2Split.Test))
            .Single(r => r.VideoId == first.Video).FaceFolder, $"{outside + 1:D5}.jpg");

        Assert.IsGreaterThan(0, checkedCrops);
        Assert.IsGreaterThan(20, Math.Abs(SyntheticCopyReader.MeanIntensity(outsideCrop, 0.2, 0.2, 0.8, 0.8) - 128));
    }

    [TestMethod]
    public void ReliabilityFile_SilentAndNoiseStages_MatchTheAudio()
    {
        var stages = SyntheticCopyReader.Stages(s_copy.ReliabilityFile).Where(s => s.Condition is "silent" or "noise").ToList();
        var rows = Rows(AffWild2Split.Train).Concat(Rows(AffWild2Split.Validation)).Concat(Rows(AffWild2Split.Test)).ToList();

        Assert.IsNotEmpty(stages);
        // Three frames of margin: an AAC frame spans 1024 samples and its transform window twice that, about 5 frames at 25 fps.
        foreach (var stage in stages.Where(s => s.LastFrame - s.FirstFrame >= 8))
        {
            var samples = SyntheticCopyReader.DecodeAudio(rows.Single(r => r.VideoId == stage.Video).VideoFile);
            var rms = Enumerable.Range(stage.FirstFrame + 3, stage.LastFrame - stage.FirstFrame - 5)
                .Select(t => SyntheticCopyReader.FrameRms(samples, t, Fps)).ToList();
            if (stage.Condition == "silent")
            {
                Assert.IsLessThan(0.005, rms.Max(), stage.ToString());
            }
            else
            {
                // Uniform noise of peak 0.3 has an RMS of 0.3 / sqrt(3), whatever the labels.
                Assert.AreEqual(0.3 / Math.Sqrt(3), rms.Average(), 0.03, stage.ToString());
            }
        }
    }

    [TestMethod]
    public void Generate_RootNotEmpty_ThrowsIOException()
    {
        var ex = Assert.ThrowsExactly<IOException>(() => SyntheticAffWild2.Generate(s_copy.Root, Tiny(seed: 1)));
        StringAssert.Contains(ex.Message, s_copy.Root);
    }

    [TestMethod]
    public void Generate_BadOption_ThrowsNamingIt()
    {
        var root = Path.Combine(s_folder, "never-written");

        Assert.AreEqual("FramesPerSecond", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            SyntheticAffWild2.Generate(root, new SyntheticAffWild2Options { FramesPerSecond = 0 })).ParamName);
        Assert.AreEqual("CropSize", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            SyntheticAffWild2.Generate(root, new SyntheticAffWild2Options { CropSize = 4 })).ParamName);
        Assert.AreEqual("TrainVideos", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            SyntheticAffWild2.Generate(root, new SyntheticAffWild2Options { TrainVideos = -1 })).ParamName);
        Assert.IsFalse(Directory.Exists(root));
    }

    [TestMethod]
    public void Generate_FFMpegFolderWithoutFFMpeg_ThrowsFileNotFound()
    {
        var empty = Directory.CreateDirectory(Path.Combine(s_folder, "no-ffmpeg")).FullName;
        var ex = Assert.ThrowsExactly<FileNotFoundException>(() => SyntheticAffWild2.Generate(Path.Combine(s_folder, "never"),
            new SyntheticAffWild2Options { FFMpegBinaryFolder = empty }));
        StringAssert.Contains(ex.Message, empty);
    }

    [TestMethod]
    public void FrameRateFraction_NtscAndWholeRates_AreExact()
    {
        Assert.AreEqual("30000/1001", SyntheticVideoWriter.FrameRateFraction(30000 / 1001.0));
        Assert.AreEqual("24000/1001", SyntheticVideoWriter.FrameRateFraction(24000 / 1001.0));
        Assert.AreEqual("25000/1000", SyntheticVideoWriter.FrameRateFraction(25));
        Assert.AreEqual("30000/1000", SyntheticVideoWriter.FrameRateFraction(30));
    }

    private static SyntheticAffWild2Options Tiny(int seed) => new()
    {
        Seed = seed, TrainVideos = 3, ValidationVideos = 1, TestVideos = 1, SecondsPerVideo = Seconds, FramesPerSecond = Fps,
    };

    private List<Row> Rows(AffWild2Split split, string? root = null) =>
        [.. _ml.Data.CreateEnumerable<Row>(_ml.Data.LoadAffWild2(root ?? s_copy.Root, split), reuseRowObject: false)];

    /// <summary>Returns every person with labels (the Test videos' from <c>synthetic_test_labels</c>) and their reliability stages.</summary>
    private IEnumerable<(Row Row, (float Valence, float Arousal)[] Labels, List<SyntheticCopyReader.Stage> Stages)> AnnotatedPeople()
    {
        var stages = SyntheticCopyReader.Stages(s_copy.ReliabilityFile);
        foreach (var row in Rows(AffWild2Split.Train).Concat(Rows(AffWild2Split.Validation)).Concat(Rows(AffWild2Split.Test)))
        {
            var annotation = Directory.EnumerateFiles(s_copy.Root, row.VideoId + ".txt", SearchOption.AllDirectories).Single();
            yield return (row, SyntheticCopyReader.Labels(annotation), [.. stages.Where(s => s.Video == row.VideoId)]);
        }
    }

    private static int DecodedFrames(string videoFile)
    {
        using var ffprobe = Process.Start(new ProcessStartInfo("ffprobe",
            $"-v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 \"{videoFile}\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = ffprobe.StandardOutput.ReadToEnd();
        ffprobe.WaitForExit();
        return int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string[] RelativeFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    private static bool IsVideo(string file) => file.EndsWith(".mp4", StringComparison.Ordinal) || file.EndsWith(".avi", StringComparison.Ordinal);

    private static double Correlation(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        var cov = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return cov / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    private sealed class Row
    {
        public string VideoId { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public string VideoFile { get; set; } = "";

        [VectorType]
        public float[] Valence { get; set; } = [];

        [VectorType]
        public float[] Arousal { get; set; } = [];

        public int FrameCount { get; set; }
    }
}

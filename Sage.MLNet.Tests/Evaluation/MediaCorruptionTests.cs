using FFMpegCore;

using Microsoft.ML;

using Sage.MLNet.Data.AffWild2;
using Sage.MLNet.Evaluation.Corruption;
using Sage.MLNet.Synthetic;

using SkiaSharp;

namespace Sage.MLNet.Tests.Evaluation;

[TestClass]
public sealed class MediaCorruptionTests
{
    private static string s_folder = "";
    private static SyntheticAffWild2Summary s_copy = null!;

    private readonly MLContext _ml = new(seed: 1);

    [ClassInitialize]
    public static void GenerateCopy(TestContext context)
    {
        s_folder = Directory.CreateTempSubdirectory("sage-corruption-").FullName;
        s_copy = SyntheticAffWild2.Generate(Path.Combine(s_folder, "copy"), new SyntheticAffWild2Options
        {
            Seed = 3, TrainVideos = 3, ValidationVideos = 1, TestVideos = 1, SecondsPerVideo = 4, FramesPerSecond = 25,
        });
    }

    [ClassCleanup]
    public static void DeleteCopy() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void Place_ShareOfFrames_CoversRoundedShareInSeparateStretches()
    {
        var stretches = CorruptionStretches.Place(300, 0.3, 50, new Random(5));

        Assert.HasCount(2, stretches);
        Assert.AreEqual(90, stretches.Sum(s => s.Last - s.First + 1));
        Assert.AreEqual(45, stretches[0].Last - stretches[0].First + 1);
        Assert.IsTrue(stretches[0].First >= 0 && stretches[1].Last <= 299);
        Assert.IsGreaterThan(stretches[0].Last + 1, stretches[1].First, "stretches are apart");
        CollectionAssert.AreEqual(stretches.ToArray(), CorruptionStretches.Place(300, 0.3, 50, new Random(5)).ToArray());
        CollectionAssert.AreNotEqual(stretches.ToArray(), CorruptionStretches.Place(300, 0.3, 50, new Random(6)).ToArray());
    }

    [TestMethod]
    public void Place_WholeVideoAndNone_CoversEveryFrameOrNone()
    {
        var all = CorruptionStretches.Mask(75, CorruptionStretches.Place(75, 1, 50, new Random(1)));
        var none = CorruptionStretches.Place(75, 0, 50, new Random(1));

        Assert.IsTrue(all.All(corrupted => corrupted));
        Assert.IsEmpty(none);
        Assert.AreEqual(23, CorruptionStretches.Mask(75, CorruptionStretches.Place(75, 0.3, 10, new Random(2))).Count(c => c));
    }

    [TestMethod]
    public void Patch_QuarterShare_CoversAQuarterOfThePixelsInGrey()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(112, 112, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(SKColors.Black);

        var patch = FaceCorruption.Patch(112, 112, 0.25, new Random(4));
        FaceCorruption.Occlude(bitmap, patch);

        Assert.AreEqual(56, patch.Width);
        Assert.AreEqual(56, patch.Height);
        Assert.AreEqual(0.25, GreyShare(bitmap), 1e-9);
    }

    [TestMethod]
    public void Apply_FaceOcclusion_SameSeedSameFilesAndPatchOverTheShare()
    {
        var videos = Train();
        var corruption = new SageCorruption { Kind = SageCorruptionKind.FaceOcclusion, Intensity = 0.3, Coverage = 0.5, StretchFrames = 20, Seed = 9 };

        var first = SageMediaCorruption.Apply(_ml, videos, corruption, Folder("occlusion-a"));
        var second = SageMediaCorruption.Apply(_ml, videos, corruption, Folder("occlusion-b"));
        corruption.Seed = 10;
        var other = SageMediaCorruption.Apply(_ml, videos, corruption, Folder("occlusion-c"));

        var originals = Rows(videos);
        var corrupted = Rows(first.Videos);
        Assert.AreEqual(50, first.Stretches.Where(s => s.VideoId == originals[0].VideoId).Sum(s => s.LastFrame - s.FirstFrame + 1), "half of 100 frames");
        Assert.AreEqual(3, first.Stretches.Count(s => s.VideoId == originals[0].VideoId), "stretches of at most 20 frames");
        CollectionAssert.AreEqual(first.Stretches.ToArray(), second.Stretches.ToArray());
        CollectionAssert.AreNotEqual(first.Stretches.ToArray(), other.Stretches.ToArray());
        Assert.AreEqual(originals[0].VideoFile, corrupted[0].VideoFile, "the audio is left as it is");
        CollectionAssert.AreEqual(originals[0].Valence, corrupted[0].Valence);
        var secondRows = Rows(second.Videos);
        foreach (var file in Directory.GetFiles(corrupted[0].FaceFolder))
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(secondRows[0].FaceFolder, Path.GetFileName(file))), file);
        }
        var mask = first.CorruptedFrames(originals[0].VideoId, SageModality.Visual, originals[0].FrameCount);
        Assert.IsTrue(first.CorruptedFrames(originals[0].VideoId, SageModality.Audio, originals[0].FrameCount).All(c => !c));
        var measured = 0;
        for (var frame = 0; frame < mask.Length; frame++)
        {
            var name = $"{frame + 1:D5}.jpg";
            var original = Path.Combine(originals[0].FaceFolder, name);
            if (!File.Exists(original))
            {
                continue;
            }
            var copy = Path.Combine(corrupted[0].FaceFolder, name);
            if (!mask[frame])
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(original), File.ReadAllBytes(copy), name);
                continue;
            }
            using var before = FaceCorruption.Read(original, "v");
            using var after = FaceCorruption.Read(copy, "v");
            if (GreyShare(before, tolerance: 8) < 0.01)
            {
                Assert.AreEqual(0.3, GreyShare(after, tolerance: 8), 0.03, name);
                measured++;
            }
        }
        Assert.IsGreaterThan(10, measured);
        var lines = File.ReadAllLines(first.GroundTruthFile!);
        Assert.AreEqual(GroundTruthFile.Header, lines[0]);
        var stretch = first.Stretches[0];
        Assert.AreEqual($"{stretch.VideoId},{stretch.FirstFrame},{stretch.LastFrame},face,occluded", lines[1]);
    }

    [TestMethod]
    public void Apply_FaceDrop_FeaturizerSeesNoFaceExactlyOnTheDroppedFrames()
    {
        var videos = Train();
        var dropped = SageMediaCorruption.Apply(_ml, videos, new SageCorruption { Kind = SageCorruptionKind.FaceDrop, Coverage = 0.4, StretchFrames = 15, Seed = 2 }, Folder("drop"));
        var original = Rows(videos)[0];
        var mask = dropped.CorruptedFrames(original.VideoId, SageModality.Visual, original.FrameCount);
        var one = _ml.Data.TakeRows(dropped.Videos, 1);

        using var faces = _ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions()).Fit(one);
        var faceFound = _ml.Data.CreateEnumerable<FaceFoundRow>(faces.Transform(one), reuseRowObject: false).Single().FaceFound;

        for (var frame = 0; frame < original.FrameCount; frame++)
        {
            var hadCrop = File.Exists(Path.Combine(original.FaceFolder, $"{frame + 1:D5}.jpg"));
            Assert.AreEqual(hadCrop && !mask[frame] ? 1f : 0f, faceFound[frame], $"frame {frame}");
        }
        Assert.AreEqual(40, mask.Count(m => m));
    }

    [TestMethod]
    public void Apply_AudioNoise_MeasuredSnrIsTheIntensityAndTheRestUnchanged()
    {
        var videos = Train();
        var noisy = SageMediaCorruption.Apply(_ml, videos, new SageCorruption { Kind = SageCorruptionKind.AudioNoise, Intensity = 5, Coverage = 0.5, StretchFrames = 25, Seed = 4 }, Folder("noise"));
        var original = Rows(videos)[0];
        var corrupted = Rows(noisy.Videos)[0];
        Assert.AreEqual(original.FaceFolder, corrupted.FaceFolder);

        var (before, clock) = AudioCorruption.Decode(original.VideoFile, "v", new FFOptions());
        var (after, _) = AudioCorruption.Decode(corrupted.VideoFile, "v", new FFOptions());
        var inside = new bool[before.Length];
        foreach (var stretch in noisy.Stretches.Where(s => s.VideoId == original.VideoId))
        {
            var (start, end) = AudioCorruption.Samples(clock, stretch.FirstFrame, stretch.LastFrame, before.Length);
            Array.Fill(inside, true, start, end - start);
        }
        Assert.AreEqual(before.Length, after.Length);
        double noisePower = 0;
        var noiseSamples = 0;
        var largestOutside = 0.0;
        for (var i = 0; i < before.Length; i++)
        {
            var difference = (double)after[i] - before[i];
            if (inside[i])
            {
                noisePower += difference * difference;
                noiseSamples++;
            }
            else
            {
                largestOutside = Math.Max(largestOutside, Math.Abs(difference));
            }
        }
        var snr = 10 * Math.Log10(AudioCorruption.Power(before) / (noisePower / noiseSamples));
        Assert.AreEqual(5, snr, 0.3);
        Assert.IsLessThanOrEqualTo(1.5 / 32768, largestOutside);
        Assert.AreEqual(0.5, noiseSamples / (double)before.Length, 0.02);
    }

    [TestMethod]
    public void Apply_AudioSilenceAndOtherVideo_SilentOrTheOtherTrackInsideTheStretches()
    {
        var videos = Train();
        var settings = (Coverage: 0.3, Stretch: 30, Seed: 6);
        var silent = SageMediaCorruption.Apply(_ml, videos, new SageCorruption { Kind = SageCorruptionKind.AudioSilence, Coverage = settings.Coverage, StretchFrames = settings.Stretch, Seed = settings.Seed }, Folder("silence"));
        var swapped = SageMediaCorruption.Apply(_ml, videos, new SageCorruption { Kind = SageCorruptionKind.AudioOtherVideo, Coverage = settings.Coverage, StretchFrames = settings.Stretch, Seed = settings.Seed }, Folder("swap"));
        var original = Rows(videos)[0];
        var otherVideo = Rows(videos).First(row => row.VideoFile != original.VideoFile);

        CollectionAssert.AreEqual(silent.Stretches.Select(s => (s.FirstFrame, s.LastFrame)).ToArray(), swapped.Stretches.Select(s => (s.FirstFrame, s.LastFrame)).ToArray());
        var (before, clock) = AudioCorruption.Decode(original.VideoFile, "v", new FFOptions());
        var (quiet, _) = AudioCorruption.Decode(Rows(silent.Videos)[0].VideoFile, "v", new FFOptions());
        var (mixed, _) = AudioCorruption.Decode(Rows(swapped.Videos)[0].VideoFile, "v", new FFOptions());
        var (other, _) = AudioCorruption.Decode(otherVideo.VideoFile, "v", new FFOptions());
        var stretch = silent.Stretches.First(s => s.VideoId == original.VideoId);
        var (start, end) = AudioCorruption.Samples(clock, stretch.FirstFrame, stretch.LastFrame, before.Length);

        Assert.AreEqual(0.0, AudioCorruption.Power(quiet.AsSpan(start, end - start)));
        Assert.IsGreaterThan(1e-4, AudioCorruption.Power(before.AsSpan(start, end - start)));
        for (var i = start; i < end; i += 97)
        {
            Assert.AreEqual(other[i % other.Length], mixed[i], 1.5 / 32768, $"sample {i}");
        }
        Assert.AreEqual("other_video", swapped.Stretches[0].Condition);
        Assert.AreEqual(SageModality.Audio, swapped.Stretches[0].Modality);
    }

    [TestMethod]
    public void SyntheticStages_SyntheticCopy_GroundTruthIsTheGeneratorsStages()
    {
        var stages = SageMediaCorruption.SyntheticStages(_ml, Train(), s_copy.Root);
        var lines = File.ReadAllLines(s_copy.ReliabilityFile).Skip(1).Where(line => !line.StartsWith("3-", StringComparison.Ordinal) && !line.StartsWith("4-", StringComparison.Ordinal)).ToArray();

        Assert.HasCount(lines.Length, stages.Stretches);
        var first = lines[0].Split(',');
        Assert.AreEqual(first[0], stages.Stretches[0].VideoId);
        Assert.AreEqual(int.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture), stages.Stretches[0].FirstFrame);
        Assert.AreEqual(first[3] == "face" ? SageModality.Visual : SageModality.Audio, stages.Stretches[0].Modality);
        Assert.IsTrue(stages.Stretches.Any(s => s.Condition == "other_speaker" && s.Modality == SageModality.Audio));
    }

    [TestMethod]
    public void Apply_BadInput_ThrowsNamingTheProblem()
    {
        var videos = Train();
        var occupied = Folder("occupied");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "x"), "");

        var coverage = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SageMediaCorruption.Apply(_ml, videos, new SageCorruption { Coverage = 1.5 }, Folder("bad")));
        var share = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SageMediaCorruption.Apply(_ml, videos, new SageCorruption { Intensity = 0 }, Folder("bad")));
        var full = Assert.ThrowsExactly<IOException>(() => SageMediaCorruption.Apply(_ml, videos, new SageCorruption(), occupied));
        var column = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SageMediaCorruption.Apply(_ml, _ml.Transforms.DropColumns("VideoFile").Fit(videos).Transform(videos), new SageCorruption(), Folder("bad")));

        Assert.AreEqual("Coverage", coverage.ParamName);
        Assert.Contains("occluded share", share.Message);
        Assert.Contains("not empty", full.Message);
        Assert.Contains("'VideoFile'", column.Message);
        Assert.AreEqual(SageCorruptionKind.AudioOtherVideo, SageCorruption.Parse("audio-other-video"));
        Assert.AreEqual(SageCorruptionKind.FaceBlur, SageCorruption.Parse("FaceBlur"));
    }

    private static double GreyShare(SKBitmap bitmap, int tolerance = 0)
    {
        var grey = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Abs(c.Red - 128) <= tolerance && Math.Abs(c.Green - 128) <= tolerance && Math.Abs(c.Blue - 128) <= tolerance)
                {
                    grey++;
                }
            }
        }
        return grey / (double)(bitmap.Width * bitmap.Height);
    }

    private IDataView Train() => _ml.Data.LoadAffWild2(s_copy.Root, AffWild2Split.Train);

    private List<AffWild2Rows.Row> Rows(IDataView videos) => [.. _ml.Data.CreateEnumerable<AffWild2Rows.Row>(videos, reuseRowObject: false)];

    private static string Folder(string name) => Path.Combine(s_folder, name);

    private sealed class FaceFoundRow
    {
        public float[] FaceFound { get; set; } = [];
    }
}

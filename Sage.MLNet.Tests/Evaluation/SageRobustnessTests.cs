using Microsoft.ML;
using Sage.MLNet.Synthetic;

namespace Sage.MLNet.Tests.Evaluation;

[TestClass]
[DoNotParallelize]
public sealed class SageRobustnessTests
{
    private static string s_folder = "";
    private static SyntheticAffWild2Summary s_copy = null!;
    private static SageRobustnessReport s_report = null!;

    [ClassInitialize]
    public static void RunSmall(TestContext context)
    {
        s_folder = Directory.CreateTempSubdirectory("sage-robustness-").FullName;
        s_copy = SyntheticAffWild2.Generate(Path.Combine(s_folder, "copy"), new SyntheticAffWild2Options
        {
            Seed = 5, TrainVideos = 2, ValidationVideos = 1, TestVideos = 1, SecondsPerVideo = 3, FramesPerSecond = 25,
        });
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadAffWild2(s_copy.Root, AffWild2Split.Train);
        var evaluation = ml.Data.LoadAffWild2(s_copy.Root, AffWild2Split.Validation);
        var cache = Path.Combine(s_folder, "cache");
        using var faces = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions { CacheFolder = cache }).Fit(train);
        using var audio = ml.Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions { CacheFolder = cache }).Fit(train);
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.VisualFeatureSize = faces.FeatureSize;
        options.AudioFeatureSize = audio.FeatureSize;
        s_report = SageRobustness.Run(ml, audio.Transform(faces.Transform(train)), validation: null, evaluation, faces, audio, new SageRobustnessOptions
        {
            Variants = [SageFusion.ModalityReliability, SageFusion.Concatenation],
            Seeds = 2,
            Corruptions = [SageCorruptionKind.AudioSilence],
            Levels = [0.5],
            StretchFrames = 20,
            SyntheticRoot = s_copy.Root,
            Training = options,
            WorkFolder = Path.Combine(s_folder, "work"),
        });
    }

    [ClassCleanup]
    public static void Delete() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void Run_TwoVariantsOneCorruption_OneResultPerVariantCorruptionAndLevel()
    {
        var rows = s_report.Results.Select(r => $"{r.Variant} {r.Corruption} {r.Level}").ToArray();

        CollectionAssert.AreEqual(new[]
        {
            "ModalityReliability none 0", "Concatenation none 0",
            "ModalityReliability audio-silence 0.5", "Concatenation audio-silence 0.5",
            $"ModalityReliability synthetic-stages {s_report.Results[^1].Level}", $"Concatenation synthetic-stages {s_report.Results[^1].Level}",
        }, rows);
        var ml = new MLContext();
        var labels = ml.Data.CreateEnumerable<Labels>(ml.Data.LoadAffWild2(s_copy.Root, AffWild2Split.Validation), reuseRowObject: false).Single();
        var annotated = labels.Valence.Zip(labels.Arousal).Count(pair => pair.First != -5 && pair.Second != -5);
        Assert.IsLessThan(75, annotated, "the copy leaves a stretch unannotated");
        Assert.IsTrue(s_report.Results.All(r => r.Frames == annotated && r.MeanCcc.Count == 2));
        Assert.IsTrue(s_report.Results[^1].Level > 0.2 && s_report.Results[^1].Level < 0.9, $"stages cover {s_report.Results[^1].Level}");
    }

    [TestMethod]
    public void Run_ConcatenationWeighsEveryFrameAlike_AurocIsChance()
    {
        var silence = s_report.Results.Single(r => r.Variant == SageFusion.Concatenation && r.Corruption == "audio-silence");
        var stages = s_report.Results.Single(r => r.Variant == SageFusion.Concatenation && r.Corruption == SageRobustness.SyntheticStages);

        Assert.AreEqual(0.5, silence.AudioAuroc!.Mean, 1e-12);
        Assert.IsNull(silence.VisualAuroc, "no face was corrupted");
        Assert.AreEqual(0.5, stages.VisualAuroc!.Mean, 1e-12);
        Assert.IsNull(s_report.Results.Single(r => r.Variant == SageFusion.Concatenation && r.Corruption == SageRobustness.Clean).AudioAuroc);
    }

    [TestMethod]
    public void Run_SyntheticStagesAreTheCleanVideos_SameCcc()
    {
        foreach (var variant in new[] { SageFusion.ModalityReliability, SageFusion.Concatenation })
        {
            var clean = s_report.Results.Single(r => r.Variant == variant && r.Corruption == SageRobustness.Clean);
            var stages = s_report.Results.Single(r => r.Variant == variant && r.Corruption == SageRobustness.SyntheticStages);
            Assert.AreEqual(clean.MeanCcc.Mean, stages.MeanCcc.Mean, 1e-9, variant.ToString());
        }
    }

    [TestMethod]
    public void Run_Traces_EachVariantsWeightsOverTheTraceVideoWithItsStretches()
    {
        var silence = s_report.Traces.Where(t => t.Corruption == "audio-silence").ToList();

        Assert.HasCount(2, silence);
        Assert.AreEqual(75, silence[0].Reliability.Count);
        Assert.AreEqual(75, silence[0].AudioReliability!.Count);
        Assert.IsNull(silence[1].AudioReliability, "concatenation has no per-modality weight");
        Assert.IsTrue(silence[1].Reliability.All(w => w == 1f));
        Assert.AreEqual(38, silence[0].Stretches.Sum(s => s.LastFrame - s.FirstFrame + 1));
        Assert.IsTrue(silence[0].Stretches.All(s => s.Modality == SageModality.Audio && s.Condition == "silent"));
    }

    private sealed class Labels
    {
        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

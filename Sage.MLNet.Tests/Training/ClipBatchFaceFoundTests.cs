using Microsoft.ML;
using Sage.MLNet.Data;
using Sage.MLNet.Training;

namespace Sage.MLNet.Tests.Training;

/// <summary>
/// <see cref="SageOptions.FaceFoundColumnName"/>: frames without a detected face leave the training loss
/// (the paper: "failed face detections are excluded during training") but not the network's input or evaluation.
/// </summary>
[TestClass]
public sealed class ClipBatchFaceFoundTests
{
    private const int Frames = 4;

    // ---- ClipBatch ----

    [TestMethod]
    public void Add_FaceFoundZeros_LeftOutOfLabelMaskOnly()
    {
        var batch = new ClipBatch(capacity: 2, length: 8, visualSize: 1, audioSize: 1);
        var video = Video(
            valence: [0.1f, 0.2f, SageLabels.NotAnnotated, 0.4f, 0.5f, 0.6f],
            faceFound: [1, 0, 1, 1, 0, 1]);

        batch.Add(video, start: 0);
        batch.Add(video, start: 3);

        // Slot 0: frames 0-5 then 2 padded; slot 1: frames 3-5 then 5 padded.
        CollectionAssert.AreEqual(new float[] { 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0 }, batch.FrameMask, "frame mask");
        CollectionAssert.AreEqual(new float[] { 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0 }, batch.LabelMask, "label mask");
        Assert.AreEqual(5, batch.AnnotatedFrames);
        Assert.AreEqual(9, batch.Frames);
        CollectionAssert.AreEqual(new float[] { 0.1f, 0, 0, 0.4f, 0, 0.6f, 0, 0 }, Valence(batch, slot: 0), "labels of left-out frames are zero");
        CollectionAssert.AreEqual(video.Visual, batch.Visual[..6], "features of face-less frames still go to the network");
    }

    [TestMethod]
    public void Add_NoFaceFound_EveryAnnotatedFrameCounts()
    {
        var batch = new ClipBatch(capacity: 1, length: 4, visualSize: 1, audioSize: 1);

        batch.Add(Video(valence: [0.1f, SageLabels.NotAnnotated, 0.3f], faceFound: null), start: 0);

        CollectionAssert.AreEqual(new float[] { 1, 0, 1, 0 }, batch.LabelMask);
        Assert.AreEqual(2, batch.AnnotatedFrames);
    }

    [TestMethod]
    public void Add_NoFrameHasAFace_NoAnnotatedFrames()
    {
        var batch = new ClipBatch(capacity: 1, length: 4, visualSize: 1, audioSize: 1);

        batch.Add(Video(valence: [0.1f, 0.2f, 0.3f], faceFound: [0, 0, 0]), start: 0);

        Assert.AreEqual(0, batch.AnnotatedFrames, "the trainer skips such a batch");
        Assert.AreEqual(3, batch.Frames);
        CollectionAssert.AreEqual(new float[4], batch.LabelMask);
    }

    // ---- Fit ----

    [TestMethod]
    public void Fit_WildLabelsOnFacelessFrames_TrainsAsIfThoseFramesWereUnannotated()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.Rows(TestData.Videos(ml, 3, seed: 1, minFrames: 150, maxFrames: 400), ml);
        var test = TestData.Videos(ml, 2, seed: 2, minFrames: 150, maxFrames: 400);
        var wild = ml.Data.LoadFromEnumerable(rows.Select(r => WithFaces(r, FacelessLabels.Negated)));
        var unannotated = ml.Data.LoadFromEnumerable(rows.Select(r => WithFaces(r, FacelessLabels.NotAnnotated)));
        var options = TestData.SmallOptions(maxEpochs: 2);
        options.FaceFoundColumnName = "FaceFound";

        using var leftOut = ml.Transforms.Sage(options).Fit(wild);
        using var reference = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 2)).Fit(unannotated);
        using var counted = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 2)).Fit(wild);

        var a = Predictions(ml, leftOut.Transform(test));
        var b = Predictions(ml, reference.Transform(test));
        var c = Predictions(ml, counted.Transform(test));
        CollectionAssert.AreEqual(b, a, "with the option, labels on face-less frames never reach the loss");
        var largest = a.Zip(c, (x, y) => Math.Abs(x - y)).Max();
        Assert.IsGreaterThan(1e-3f, largest, $"without the option the wild labels train the network; largest difference {largest:E2}");
    }

    [TestMethod]
    public void Fit_NegatedLabelsOnFacelessFrames_HeldOutCccHigherWithOption()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.Rows(TestData.Videos(ml, 12, seed: 3, minFrames: 150, maxFrames: 400), ml);
        var train = ml.Data.LoadFromEnumerable(rows.Select(r => WithFaces(r, FacelessLabels.Negated)));
        var test = TestData.Videos(ml, 4, seed: 4, minFrames: 150, maxFrames: 400);
        SageOptions Options(string? faceFound)
        {
            var options = TestData.SmallOptions(maxEpochs: 6);
            options.LearningRate = 3e-3;
            options.FaceFoundColumnName = faceFound;
            return options;
        }

        using var withOption = ml.Transforms.Sage(Options("FaceFound")).Fit(train);
        using var without = ml.Transforms.Sage(Options(null)).Fit(train);
        var on = ml.Regression.EvaluateCcc(withOption.Transform(test));
        var off = ml.Regression.EvaluateCcc(without.Transform(test));

        Console.WriteLine($"FaceFound left out: {on}; counted: {off}");
        Assert.IsGreaterThan(off.Mean + 0.3, on.Mean, $"held-out mean CCC {on.Mean:F3} with the option, {off.Mean:F3} without");
    }

    [TestMethod]
    public void Fit_ValidationDataWithoutFaceFound_ValidatesOverEveryAnnotatedFrame()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.Rows(TestData.Videos(ml, 2, seed: 1, minFrames: 40, maxFrames: 80), ml);
        var validation = TestData.Videos(ml, 2, seed: 2, minFrames: 40, maxFrames: 80);
        var reports = new List<SageTrainingProgress>();
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.FaceFoundColumnName = "FaceFound";
        options.ValidationData = validation;
        options.Progress = new SynchronousProgress(reports.Add);

        using var model = ml.Transforms.Sage(options).Fit(ml.Data.LoadFromEnumerable(rows.Select(r => WithFaces(r, FacelessLabels.Negated))));

        var annotated = TestData.Rows(validation, ml).Sum(r => r.Valence.Zip(r.Arousal).Count(p => SageLabels.IsAnnotated(p.First, p.Second)));
        Assert.AreEqual(annotated, reports.Single().Validation!.FrameCount);
    }

    // ---- Fit: bad input ----

    [TestMethod]
    public void Fit_FaceFoundColumnMissing_ThrowsNamingColumn()
    {
        var ml = new MLContext(seed: 1);
        var options = Options("HasFace");
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Fit(ml, options, GoodRow()));
        Assert.Contains("Could not find face-found column 'HasFace'", error.Message);
    }

    [TestMethod]
    public void Fit_FaceFoundIsScalar_ThrowsNamingColumnAndType()
    {
        var ml = new MLContext(seed: 1);
        var row = GoodRow();
        var data = ml.Data.LoadFromEnumerable([new ScalarFaceRow { VisualFeatures = row.VisualFeatures, AudioFeatures = row.AudioFeatures, Valence = row.Valence, Arousal = row.Arousal, FaceFound = 1 }]);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Fit(ml, Options("FaceFound"), data));
        Assert.Contains("Schema mismatch for face-found column 'FaceFound': expected vector of Single, got Single", error.Message);
    }

    [TestMethod]
    public void Fit_FaceFoundLengthDiffersFromFrames_ThrowsNamingVideoAndColumn()
    {
        var ml = new MLContext(seed: 1);
        var row = GoodRow("clip-3");
        row.FaceFound = [1, 1, 1];
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(ml, Options("FaceFound"), ml.Data.LoadFromEnumerable([GoodRow("clip-2"), row])));
        Assert.Contains($"video 'clip-3' (row 1): column 'FaceFound' has 3 values but the video has {Frames} frames", error.Message);
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    [DataRow(0.5f)]
    [DataRow(-1f)]
    public void Fit_FaceFoundNotZeroOrOne_ThrowsNamingFrameAndValue(float bad)
    {
        var ml = new MLContext(seed: 1);
        var row = GoodRow();
        row.FaceFound[2] = bad;
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(ml, Options("FaceFound"), ml.Data.LoadFromEnumerable([row])));
        Assert.Contains($"row 0: column 'FaceFound' has {bad} at frame 2", error.Message);
    }

    [TestMethod]
    public void Fit_NoFrameHasAFace_ThrowsNoAnnotatedFramesMentioningFaces()
    {
        var ml = new MLContext(seed: 1);
        var row = GoodRow();
        row.FaceFound = new float[Frames];
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Fit(ml, Options("FaceFound"), ml.Data.LoadFromEnumerable([row])));
        Assert.Contains("no annotated frames with a face", error.Message);
        Assert.Contains("column 'FaceFound'", error.Message);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow(" ")]
    public void Sage_FaceFoundColumnNameBlank_ThrowsNamingOption(string name)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().Transforms.Sage(Options(name)));
        Assert.AreEqual(nameof(SageOptions.FaceFoundColumnName), error.ParamName);
    }

    // ---- helpers ----

    private enum FacelessLabels
    {
        Negated,
        NotAnnotated,
    }

    /// <summary>Frame t has no face in every other stretch of 25 frames: half the frames, in runs as detector failures come.</summary>
    private static bool HasFace(int t) => t / 25 % 2 == 0;

    /// <summary>Adds a FaceFound column and replaces the labels of face-less frames (annotated ones only).</summary>
    private static FaceRow WithFaces(TestData.VideoRow row, FacelessLabels faceless)
    {
        var frames = row.Valence.Length;
        var face = new FaceRow
        {
            VideoId = row.VideoId,
            VisualFeatures = row.VisualFeatures,
            AudioFeatures = row.AudioFeatures,
            Valence = (float[])row.Valence.Clone(),
            Arousal = (float[])row.Arousal.Clone(),
            FaceFound = [.. Enumerable.Range(0, frames).Select(t => HasFace(t) ? 1f : 0f)],
        };
        for (var t = 0; t < frames; t++)
        {
            if (!HasFace(t) && SageLabels.IsAnnotated(face.Valence[t], face.Arousal[t]))
            {
                (face.Valence[t], face.Arousal[t]) = faceless == FacelessLabels.Negated
                    ? (-face.Valence[t], -face.Arousal[t])
                    : (SageLabels.NotAnnotated, SageLabels.NotAnnotated);
            }
        }
        return face;
    }

    private static SageVideo Video(float[] valence, float[]? faceFound)
    {
        var frames = valence.Length;
        var visual = Enumerable.Range(1, frames).Select(t => (float)t).ToArray();
        return new SageVideo("video", frames, visual, (float[])visual.Clone(), valence, Enumerable.Repeat(0.5f, frames).ToArray(), faceFound);
    }

    private static float[] Valence(ClipBatch batch, int slot) =>
        [.. Enumerable.Range(slot * batch.Length, batch.Length).Select(k => batch.Labels[2 * k])];

    private static SageOptions Options(string? faceFound)
    {
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.FaceFoundColumnName = faceFound;
        return options;
    }

    private static void Fit(MLContext ml, SageOptions options, IDataView data) => ml.Transforms.Sage(options).Fit(data).Dispose();

    private static void Fit(MLContext ml, SageOptions options, FaceRow row) => Fit(ml, options, ml.Data.LoadFromEnumerable([row]));

    private static FaceRow GoodRow(string videoId = "") => new()
    {
        VideoId = videoId,
        VisualFeatures = [.. Enumerable.Range(0, Frames * TestData.VisualSize).Select(i => (float)Math.Sin(i))],
        AudioFeatures = [.. Enumerable.Range(0, Frames * TestData.AudioSize).Select(i => (float)Math.Cos(i))],
        Valence = [0.1f, -0.2f, 0.3f, 0.4f],
        Arousal = [0.5f, 0.1f, -0.3f, 0.2f],
        FaceFound = [1, 0, 1, 1],
    };

    private static float[] Predictions(MLContext ml, IDataView scored) =>
        [.. ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false).SelectMany(r => r.PredictedValence.Concat(r.PredictedArousal))];

    /// <summary>Calls back on the reporting thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SynchronousProgress(Action<SageTrainingProgress> report) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value) => report(value);
    }

    public sealed class FaceRow
    {
        public string VideoId { get; set; } = "";

        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];

        public float[] FaceFound { get; set; } = [];
    }

    public sealed class ScalarFaceRow
    {
        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];

        public float FaceFound { get; set; }
    }
}

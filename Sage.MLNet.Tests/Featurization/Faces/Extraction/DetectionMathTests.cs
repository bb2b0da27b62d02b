using System.Drawing;
using Sage.MLNet.Featurization.Faces;
using SkiaSharp;

namespace Sage.MLNet.Tests.Featurization.Faces.Extraction;

/// <summary>
/// The detector's arithmetic against boxes worked out by hand: anchor decoding, weighted suppression, the letterbox in
/// and out of the model's square input, the alignment transform and the tracker's gap rule.
/// </summary>
[TestClass]
public sealed class DetectionMathTests
{
    private const float Tolerance = 1e-5f;

    [TestMethod]
    public void Decode_OneAnchorAboveThreshold_GivesItsHandComputedBoxAndPoints()
    {
        // Layer 0 is 16 × 16 cells with 2 anchors each. Cell (row 3, column 5), second anchor: index 2 × (16 × 3 + 5) + 1 = 107,
        // centred at ((5 + 0.5) / 16, (3 + 0.5) / 16) = (0.34375, 0.21875).
        var scores = Enumerable.Repeat(-5f, 512).ToArray();
        var boxes = new float[512 * 16];
        const int anchor = 107;
        scores[anchor] = 2f;                                         // sigmoid(2) = 0.880797
        float[] raw = [12.8f, -6.4f, 51.2f, 64f, 25.6f, 0f, -12.8f, 25.6f];   // in 256-pixel input units; other points 0
        raw.CopyTo(boxes, anchor * 16);
        var found = new List<FaceCandidate>();

        BlazeFaceDecoding.Decode(scores, boxes, layer: 0, inputSize: 256, minScore: 0.5f, found);

        Assert.HasCount(1, found);
        var c = found[0];
        // centre (12.8 / 256 + 0.34375, −6.4 / 256 + 0.21875) = (0.39375, 0.19375); size (0.2, 0.25).
        Assert.AreEqual(0.29375f, c.Left, Tolerance);
        Assert.AreEqual(0.06875f, c.Top, Tolerance);
        Assert.AreEqual(0.49375f, c.Right, Tolerance);
        Assert.AreEqual(0.31875f, c.Bottom, Tolerance);
        Assert.AreEqual(0.880797f, c.Score, Tolerance);
        Assert.HasCount(12, c.Points);
        Assert.AreEqual(0.44375f, c.Points[0], Tolerance);          // 25.6 / 256 + 0.34375
        Assert.AreEqual(0.21875f, c.Points[1], Tolerance);
        Assert.AreEqual(0.29375f, c.Points[2], Tolerance);          // −12.8 / 256 + 0.34375
        Assert.AreEqual(0.31875f, c.Points[3], Tolerance);          // 25.6 / 256 + 0.21875
        Assert.AreEqual(0.34375f, c.Points[10], Tolerance);         // a zero offset is the anchor itself
    }

    [TestMethod]
    public void Decode_SecondLayer_UsesEightCellsOfSixAnchors()
    {
        // Layer 1 is 8 × 8 cells with 6 anchors each: index 6 × (8 × 7 + 0) + 4 = 340 lies in cell (row 7, column 0),
        // centred at (0.5 / 8, 7.5 / 8) = (0.0625, 0.9375). Input 128: a size of 32 is a quarter of the input.
        var scores = Enumerable.Repeat(-5f, 384).ToArray();
        var boxes = new float[384 * 16];
        scores[340] = 0f;                                           // sigmoid(0) = 0.5, kept at minScore 0.5
        boxes[340 * 16 + 2] = 32f;
        boxes[340 * 16 + 3] = 32f;
        var found = new List<FaceCandidate>();

        BlazeFaceDecoding.Decode(scores, boxes, layer: 1, inputSize: 128, minScore: 0.5f, found);

        Assert.HasCount(1, found);
        Assert.AreEqual(0.0625f - 0.125f, found[0].Left, Tolerance);
        Assert.AreEqual(0.9375f - 0.125f, found[0].Top, Tolerance);
        Assert.AreEqual(0.0625f + 0.125f, found[0].Right, Tolerance);
        Assert.AreEqual(0.9375f + 0.125f, found[0].Bottom, Tolerance);
        Assert.AreEqual(0.5f, found[0].Score, Tolerance);
    }

    [TestMethod]
    public void Decode_WrongAnchorCount_FailsNamingTheLayerAndCounts()
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
            BlazeFaceDecoding.Decode(new float[500], new float[500 * 16], 0, 256, 0.5f, []));

        StringAssert.Contains(error.Message, "layer 0 gave 500 scores");
        StringAssert.Contains(error.Message, "expected 512");
    }

    [TestMethod]
    public void Suppression_OverlappingPair_BlendsByScoreAndKeepsTheSeparateFace()
    {
        FaceCandidate[] candidates =
        [
            new(0.1f, 0f, 1.1f, 1f, 0.6f, [2f, 2f]),     // IoU with the best: 0.9 / 1.1 = 0.82
            new(5f, 5f, 6f, 6f, 0.7f, [5.5f, 5.5f]),     // overlaps nothing
            new(0f, 0f, 1f, 1f, 0.9f, [1f, 1f]),
        ];

        var faces = WeightedSuppression.Apply(candidates, 0.3f);

        Assert.HasCount(2, faces);
        // Weights 0.9 and 0.6 of 1.5: left (0 × 0.9 + 0.1 × 0.6) / 1.5 = 0.04, right (0.9 + 0.66) / 1.5 = 1.04, point 1.4.
        Assert.AreEqual(0.04f, faces[0].Left, Tolerance);
        Assert.AreEqual(1.04f, faces[0].Right, Tolerance);
        Assert.AreEqual(0f, faces[0].Top, Tolerance);
        Assert.AreEqual(1f, faces[0].Bottom, Tolerance);
        Assert.AreEqual(1.4f, faces[0].Points[0], Tolerance);
        Assert.AreEqual(0.9f, faces[0].Score, Tolerance);
        Assert.AreEqual(5f, faces[1].Left, Tolerance);
        Assert.AreEqual(0.7f, faces[1].Score, Tolerance);
    }

    [TestMethod]
    public void Suppression_OverlapBelowThreshold_KeepsBothUnblended()
    {
        // Boxes [0, 1] and [0.6, 1.6] of height 1: IoU 0.4 / 1.6 = 0.25, under 0.3.
        FaceCandidate[] candidates = [new(0f, 0f, 1f, 1f, 0.9f, []), new(0.6f, 0f, 1.6f, 1f, 0.8f, [])];

        var faces = WeightedSuppression.Apply(candidates, 0.3f);

        Assert.HasCount(2, faces);
        Assert.AreEqual(0f, faces[0].Left, Tolerance);
        Assert.AreEqual(0.6f, faces[1].Left, Tolerance);
    }

    [TestMethod]
    public void Letterbox_WideFrame_IsCentredVerticallyAndMapsBack()
    {
        // 320 × 180 into 256: scale 0.8, the frame fills rows 56 … 199 (56 = (256 − 144) / 2).
        var box = Letterbox.Of(320, 180, 256);
        var white = Enumerable.Repeat((byte)255, 320 * 180 * 4).ToArray();
        var input = new float[256 * 256 * 3];

        box.Fill(white, 320, 180, input);

        Assert.AreEqual(0.8f, box.Scale, Tolerance);
        Assert.AreEqual(0f, box.OffsetX, Tolerance);
        Assert.AreEqual(56f, box.OffsetY, Tolerance);
        Assert.AreEqual(-1f, input[(55 * 256 + 128) * 3], Tolerance, "row 55 is padding");
        Assert.AreEqual(1f, input[(56 * 256 + 128) * 3], Tolerance, "row 56 is the frame");
        Assert.AreEqual(1f, input[(199 * 256 + 0) * 3 + 2], Tolerance, "row 199 is the frame");
        Assert.AreEqual(-1f, input[(200 * 256 + 128) * 3], Tolerance, "row 200 is padding");
        // Input fractions (0.5, 0.5) are the frame's centre; a box from 0.25 to 0.75 is 128 input pixels = 160 frame pixels.
        var face = box.ToFrame(new FaceCandidate(0.25f, 0.25f, 0.75f, 0.75f, 1f, [0.5f, 0.5f]), 320, 180);
        Assert.AreEqual(160f, face.Landmarks[0].X, 1e-3f);
        Assert.AreEqual(90f, face.Landmarks[0].Y, 1e-3f);
        Assert.AreEqual(80f, face.Box.X, 1e-3f);
        Assert.AreEqual(10f, face.Box.Y, 1e-3f);          // (64 − 56) / 0.8
        Assert.AreEqual(160f, face.Box.Width, 1e-3f);
        Assert.AreEqual(160f, face.Box.Height, 1e-3f);
    }

    [TestMethod]
    public void Letterbox_OnePixelFrame_FillsItsOneCellWithoutReadingOutside()
    {
        var box = Letterbox.Of(1, 1, 128);
        var input = new float[128 * 128 * 3];

        box.Fill([255, 0, 0, 255], 1, 1, input);

        Assert.AreEqual(1f, input[(64 * 128 + 64) * 3], Tolerance);
        Assert.AreEqual(-1f, input[(64 * 128 + 64) * 3 + 1], Tolerance);
    }

    [TestMethod]
    public void AlignerTransform_TiltedFace_PutsEyesLevelAtTheTemplate()
    {
        // Eyes 31.6 px apart tilted by atan(10 / 30); the mouth 35 px below their midpoint, at right angles to the eye line.
        var left = new PointF(100, 100);
        var right = new PointF(130, 110);
        var mid = new PointF(115, 105);
        var angle = MathF.Atan2(10, 30);
        var mouth = new PointF(mid.X - 35 * MathF.Sin(angle), mid.Y + 35 * MathF.Cos(angle));
        var pose = new FacePose(new RectangleF(85, 80, 60, 70), left, right, mouth);

        var matrix = FaceAligner.Transform(pose, 112);
        var l = matrix.MapPoint(new SKPoint(left.X, left.Y));
        var r = matrix.MapPoint(new SKPoint(right.X, right.Y));
        var m = matrix.MapPoint(new SKPoint(mouth.X, mouth.Y));

        // The eye distance rules here (31.6 / 0.314 > 35 / 0.363 > 60 / 2): eyes 0.314 × 112 = 35.17 apart at y 0.46 × 112 = 51.52.
        Assert.AreEqual(51.52f, l.Y, 1e-3f);
        Assert.AreEqual(51.52f, r.Y, 1e-3f);
        Assert.AreEqual(56f - 35.168f / 2, l.X, 1e-3f);
        Assert.AreEqual(56f + 35.168f / 2, r.X, 1e-3f);
        Assert.AreEqual(56f, m.X, 1e-3f);
        Assert.AreEqual(51.52f + 35 * 35.168f / MathF.Sqrt(1000), m.Y, 1e-3f);
    }

    [TestMethod]
    public void AlignerTransform_TurnedHead_ScalesByTheMouthInstead()
    {
        // Eyes only 10 px apart (a head turned away) but the mouth 36.3 px below: the face is 100 px per crop side.
        var pose = new FacePose(new RectangleF(80, 70, 40, 60), new PointF(95, 100), new PointF(105, 100), new PointF(100, 136.3f));

        var matrix = FaceAligner.Transform(pose, 112);
        var m = matrix.MapPoint(new SKPoint(100, 136.3f));

        Assert.AreEqual(51.52f + 0.363f * 112, m.Y, 1e-2f);
        Assert.AreEqual(1.12f, matrix.ScaleX, 1e-4f);
    }

    [TestMethod]
    public void Tracker_GapWithinLimit_KeepsTheTrackAndLongerGapStartsANewOne()
    {
        var tracker = new FaceTracker(maxGapFrames: 3, smoothingCutoff: 1.5, smoothingBeta: 0.05);
        SageFaceDetection[] face = [new(new RectangleF(100, 50, 40, 40), [new(110, 65), new(130, 65), new(120, 75), new(120, 82)], 0.9f)];
        var frame = 0;
        void Step(bool seen) { tracker.Update(frame, frame / 25.0, seen ? face : []); frame++; }

        Step(true);
        var first = tracker.Active.Single().Id;
        Step(false); Step(false); Step(false);         // 3 missed: still followed
        Assert.AreEqual(3, tracker.Active.Single().Missed);
        Step(true);
        Assert.AreEqual(first, tracker.Active.Single().Id, "a gap of 3 frames is bridged");
        Step(false); Step(false); Step(false); Step(false);       // 4 missed: ended
        Assert.IsEmpty(tracker.Active);
        Step(true);
        Assert.AreNotEqual(first, tracker.Active.Single().Id);
        var all = tracker.Finish();
        Assert.HasCount(2, all);
        Assert.AreEqual(4, all[0].LastFrame);
        Assert.AreEqual(1600.0 * 2, all[0].Presence, 1e-6, "presence: box area × frames seen");
    }

    [TestMethod]
    public void Tracker_SkippedFramesAfterOneDetection_HoldThePoseAndCountAsSeen()
    {
        var tracker = new FaceTracker(maxGapFrames: 0, smoothingCutoff: 1.5, smoothingBeta: 0.05);
        SageFaceDetection[] face = [new(new RectangleF(10, 10, 20, 20), [new(15, 18), new(25, 18)], 0.9f)];

        tracker.Update(0, 0.00, face);
        tracker.Update(1, 0.04, null);
        tracker.Update(2, 0.08, null);

        var track = tracker.Active.Single();
        Assert.AreEqual(0, track.Missed);
        Assert.AreEqual(2, track.LastFrame);
        Assert.AreEqual(10f, track.Pose.Box.X, Tolerance);
    }

    [TestMethod]
    public void Tracker_SkippedFramesAfterTwoDetections_MoveOnAtTheirSpeed()
    {
        // A cut-off of 10⁶ Hz leaves the detections unsmoothed. The box moves 8 px in 0.16 s (frames 0 → 4): 50 px/s.
        var tracker = new FaceTracker(maxGapFrames: 0, smoothingCutoff: 1e6, smoothingBeta: 0);
        static SageFaceDetection[] At(float x) => [new(new RectangleF(x, 10, 20, 20), [new(x + 5, 18), new(x + 15, 18)], 0.9f)];

        tracker.Update(0, 0.00, At(10));
        tracker.Update(4, 0.16, At(18));
        tracker.Update(5, 0.20, null);
        var fifth = tracker.Active.Single().Pose;
        tracker.Update(6, 0.24, null);
        var sixth = tracker.Active.Single().Pose;

        Assert.AreEqual(20f, fifth.Box.X, 1e-3f);
        Assert.AreEqual(25f, fifth.LeftEye.X, 1e-3f);
        Assert.AreEqual(22f, sixth.Box.X, 1e-3f);
        Assert.AreEqual(10f, sixth.Box.Y, 1e-3f, "no vertical motion, none predicted");
        Assert.AreEqual(20f, sixth.Box.Width, 1e-3f);
    }

    [TestMethod]
    public void OneEuroFilter_StillValueWithNoise_IsSmoothedTowardsTheMean()
    {
        var filter = new OneEuroFilter(minCutoff: 1.0, beta: 0);
        var values = new float[1];
        var outputs = new List<float>();
        for (var i = 0; i < 50; i++)
        {
            values[0] = i % 2 == 0 ? 101 : 99;
            filter.Apply(values, i / 25.0);
            outputs.Add(values[0]);
        }

        // At 1 Hz and 25 frames/s, alpha = 1 / (1 + 25 / 2π) = 0.2008: a ±1 alternation is damped to about ±0.11.
        Assert.AreEqual(101f, outputs[0], Tolerance, "the first value passes unchanged");
        Assert.IsLessThan(0.15f, outputs.Skip(25).Max() - 100);
        Assert.IsLessThan(0.15f, 100 - outputs.Skip(25).Min());
    }
}

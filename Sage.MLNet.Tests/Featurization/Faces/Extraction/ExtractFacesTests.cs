using Microsoft.ML;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Media;

namespace Sage.MLNet.Tests.Featurization.Faces.Extraction;

[TestClass]
public sealed class ExtractFacesTests
{
    [TestMethod]
    public void Detect_AstronautFrame_FindsOneFaceWithEyesInsideItsBox()
    {
        using var videos = new FaceVideos();
        var video = videos.Static();
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
}

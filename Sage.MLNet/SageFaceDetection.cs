using System.Drawing;

namespace Sage.MLNet;

/// <summary>One face found in one frame by an <see cref="ISageFaceDetector"/>: its box, its landmarks and the detector's confidence.</summary>
/// <param name="Box">The face box in the frame's pixels (left, top, width, height).</param>
/// <param name="Landmarks">
/// Key points in the frame's pixels, at least the two eyes first. Six in MediaPipe's order (right eye, left eye, nose tip,
/// mouth centre, right ear, left ear; "right" is the person's right, on the image's left for a frontal face) or five in
/// RetinaFace's (two eyes, nose, mouth corners). Alignment uses the eyes and the mouth.
/// </param>
/// <param name="Score">The detector's confidence in [0, 1].</param>
public sealed record SageFaceDetection(RectangleF Box, PointF[] Landmarks, float Score)
{
    /// <summary>Returns the point between the mouth landmarks: the fourth point of six, or the middle of the fourth and fifth of five.</summary>
    public PointF MouthCentre => Landmarks.Length >= 6 || Landmarks.Length == 4
        ? Landmarks[3]
        : Landmarks.Length == 5
            ? new PointF((Landmarks[3].X + Landmarks[4].X) / 2, (Landmarks[3].Y + Landmarks[4].Y) / 2)
            : new PointF(Box.X + Box.Width / 2, Box.Y + Box.Height * 0.8f);
}

using System.Drawing;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// What alignment needs of a face in one frame, in the frame's pixels: its box and three points (the eye on the image's
/// left, the eye on the image's right, the mouth centre).
/// </summary>
internal readonly record struct FacePose(RectangleF Box, PointF LeftEye, PointF RightEye, PointF Mouth)
{
    /// <summary>Returns the pose of a detection: its first two landmarks are the eyes, ordered here by the image's x.</summary>
    public static FacePose Of(SageFaceDetection detection)
    {
        if (detection.Landmarks.Length < 2)
        {
            throw new InvalidDataException($"a face detection has {detection.Landmarks.Length} landmarks; at least the two eyes are needed");
        }
        var (a, b) = (detection.Landmarks[0], detection.Landmarks[1]);
        // MediaPipe lists the person's right eye first: on the image's left for an upright face, the order alignment wants.
        return new FacePose(detection.Box, a, b, detection.MouthCentre);
    }

    /// <summary>Returns the values the smoother filters, in a fixed order.</summary>
    public float[] ToArray() =>
        [Box.X, Box.Y, Box.Width, Box.Height, LeftEye.X, LeftEye.Y, RightEye.X, RightEye.Y, Mouth.X, Mouth.Y];

    public static FacePose FromArray(ReadOnlySpan<float> v) =>
        new(new RectangleF(v[0], v[1], v[2], v[3]), new PointF(v[4], v[5]), new PointF(v[6], v[7]), new PointF(v[8], v[9]));

    public float IntersectionOverUnion(RectangleF other)
    {
        var intersection = RectangleF.Intersect(Box, other);
        if (intersection.Width <= 0 || intersection.Height <= 0)
        {
            return 0;
        }
        var i = intersection.Width * intersection.Height;
        return i / (Box.Width * Box.Height + other.Width * other.Height - i);
    }
}

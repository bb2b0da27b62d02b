using System.Runtime.InteropServices;
using SkiaSharp;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Cuts a square, aligned face crop out of a frame, the way Aff-Wild2's <c>cropped_aligned</c> crops look: the eyes level,
/// the face scaled and centred on a fixed template, as face-analysis crops of 112 × 112 are made.
/// </summary>
/// <remarks>
/// <para>The rule, in fractions of the crop's side S: the crop is rotated so the line between the eyes is horizontal;
/// the midpoint between the eyes lands at (0.5 S, 0.46 S); the scale makes the eyes 0.314 S apart or the mouth 0.363 S
/// below the eyes, whichever gives the larger face (so a turned head, whose eyes come closer together, or a bowed one,
/// whose mouth comes closer to the eyes, keeps its size), and never so large that the crop covers less than half of
/// the detector's box. These are the positions of the widely used 112 × 112
/// five-point template (eyes at (38.3, 51.7) and (73.5, 51.5), mouth corners at y 92.3) from which such crops are
/// made. Pixels outside the frame are black.</para>
/// </remarks>
internal static class FaceAligner
{
    public const float EyeLine = 0.46f;
    public const float EyeDistance = 0.314f;
    public const float EyeToMouth = 0.363f;

    private static readonly SKSamplingOptions s_sampling = new(SKFilterMode.Linear, SKMipmapMode.None);

    /// <summary>Returns the matrix that maps frame pixels to crop pixels for a crop of side <paramref name="size"/>.</summary>
    public static SKMatrix Transform(FacePose pose, int size)
    {
        var eyeX = pose.RightEye.X - pose.LeftEye.X;
        var eyeY = pose.RightEye.Y - pose.LeftEye.Y;
        var eyeDistance = MathF.Sqrt(eyeX * eyeX + eyeY * eyeY);
        var midX = (pose.LeftEye.X + pose.RightEye.X) / 2;
        var midY = (pose.LeftEye.Y + pose.RightEye.Y) / 2;
        var mouthX = pose.Mouth.X - midX;
        var mouthY = pose.Mouth.Y - midY;
        var angle = eyeDistance > 0 ? MathF.Atan2(eyeY, eyeX) : 0;
        // The mouth's distance below the eye line (perpendicular to it), not its plain distance.
        var mouthDrop = MathF.Abs(-MathF.Sin(angle) * mouthX + MathF.Cos(angle) * mouthY);
        // Face size in frame pixels per crop side.
        var face = Math.Max(Math.Max(eyeDistance / EyeDistance, mouthDrop / EyeToMouth), pose.Box.Width * 0.5f);
        if (!(face > 0) || !float.IsFinite(face))
        {
            face = 1;
        }
        var scale = size / face;
        // crop = scale · R(−angle) · (frame − eyeMid) + (0.5 S, EyeLine · S)
        var matrix = SKMatrix.CreateTranslation(-midX, -midY);
        matrix = matrix.PostConcat(SKMatrix.CreateRotation(-angle));
        matrix = matrix.PostConcat(SKMatrix.CreateScale(scale, scale));
        return matrix.PostConcat(SKMatrix.CreateTranslation(0.5f * size, EyeLine * size));
    }

    /// <summary>Draws the aligned crop of <paramref name="pose"/> from an RGBA frame into <paramref name="crop"/> (square, its side the crop size).</summary>
    public static void Crop(byte[] rgba, int width, int height, FacePose pose, SKBitmap crop)
    {
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var frame = SKImage.FromPixels(info, handle.AddrOfPinnedObject(), width * 4)
                ?? throw new InvalidOperationException($"a {width} × {height} frame could not be wrapped for cropping");
            using var canvas = new SKCanvas(crop);
            canvas.Clear(SKColors.Black);
            canvas.SetMatrix(Transform(pose, crop.Width));
            canvas.DrawImage(frame, 0, 0, s_sampling);
        }
        finally
        {
            handle.Free();
        }
    }
}

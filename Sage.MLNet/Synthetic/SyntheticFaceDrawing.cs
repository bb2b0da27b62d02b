using SkiaSharp;

namespace Sage.MLNet.Synthetic;

/// <summary>
/// Draws an aligned face crop whose expression follows the labels: eyes open wider as arousal rises, the
/// mouth curves up into a smile (its middle lower in the image) as valence rises, plus mild pixel noise.
/// </summary>
internal static class SyntheticFaceDrawing
{
    /// <summary>The occluding box's grey level, on all three channels.</summary>
    public const byte OcclusionGrey = 128;

    /// <summary>The occluding box as fractions of the crop side: it covers the whole head oval.</summary>
    public static readonly SKRect OcclusionBox = new(0.1f, 0.04f, 0.9f, 0.98f);

    /// <summary>The mouth's end points' height as a fraction of the crop side; its middle lies below by 0.08 × valence.</summary>
    public const float MouthHeight = 0.70f;

    private const int NoiseAmplitude = 6;     // ± grey levels: visible texture that leaves the expression readable

    private static readonly SKColor s_background = new(40, 44, 52);
    private static readonly SKColor s_skin = new(224, 182, 150);
    private static readonly SKColor s_eye = new(40, 28, 28);
    private static readonly SKColor s_mouth = new(120, 30, 40);

    /// <summary>Returns a <paramref name="size"/> × <paramref name="size"/> opaque RGBA crop; the caller disposes it.</summary>
    public static SKBitmap Draw(int size, double valence, double arousal, SyntheticDegradation? degradation, Random noise)
    {
        var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            if (degradation == SyntheticDegradation.FaceBlurred)
            {
                using var sharp = new SKBitmap(bitmap.Info);
                using (var sharpCanvas = new SKCanvas(sharp))
                {
                    DrawFace(sharpCanvas, size, valence, arousal);
                }
                // Sigma of a tenth of the face erases eyes and mouth but keeps the head's outline.
                using var blur = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(size / 10f, size / 10f, SKShaderTileMode.Clamp) };
                using var image = SKImage.FromBitmap(sharp);
                canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), blur);
            }
            else
            {
                DrawFace(canvas, size, valence, arousal);
            }
        }
        AddNoise(bitmap, noise);
        if (degradation == SyntheticDegradation.FaceOccluded)
        {
            using var canvas = new SKCanvas(bitmap);
            using var grey = new SKPaint { Color = new SKColor(OcclusionGrey, OcclusionGrey, OcclusionGrey) };
            canvas.DrawRect(new SKRect(OcclusionBox.Left * size, OcclusionBox.Top * size, OcclusionBox.Right * size, OcclusionBox.Bottom * size), grey);
        }
        return bitmap;
    }

    private static void DrawFace(SKCanvas canvas, int size, double valence, double arousal)
    {
        float S(double fraction) => (float)(fraction * size);
        canvas.Clear(s_background);
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        fill.Color = s_skin;
        canvas.DrawOval(S(0.5), S(0.52), S(0.34), S(0.44), fill);
        fill.Color = s_eye;
        var eyeOpening = S(0.01 + 0.055 * (arousal + 1) / 2);
        canvas.DrawOval(S(0.36), S(0.42), S(0.07), eyeOpening, fill);
        canvas.DrawOval(S(0.64), S(0.42), S(0.07), eyeOpening, fill);
        using var mouth = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = S(0.035), StrokeCap = SKStrokeCap.Round, Color = s_mouth };
        using var builder = new SKPathBuilder();
        builder.MoveTo(S(0.36), S(MouthHeight));
        // A quadratic curve's middle lies halfway to its control point: 0.16 × valence down gives 0.08 × valence.
        builder.QuadTo(S(0.5), S(MouthHeight + 0.16 * valence), S(0.64), S(MouthHeight));
        using var path = builder.Detach();
        canvas.DrawPath(path, mouth);
    }

    private static void AddNoise(SKBitmap bitmap, Random noise)
    {
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var offset = noise.Next(-NoiseAmplitude, NoiseAmplitude + 1);
            for (var c = 0; c < 3; c++)
            {
                pixels[i + c] = (byte)Math.Clamp(pixels[i + c] + offset, 0, 255);
            }
        }
    }
}

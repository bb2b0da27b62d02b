using SkiaSharp;

namespace Sage.MLNet.Evaluation.Corruption;

/// <summary>Corrupts face crops in pixels: a grey patch over a share of the crop, or a Gaussian blur.</summary>
internal static class FaceCorruption
{
    /// <summary>The patch's grey level, as the synthetic generator's occluder.</summary>
    public const byte PatchGrey = 128;

    /// <summary>Returns a patch of round(share·W·H) pixels (as near as whole rows allow), square where it fits, at a place drawn from <paramref name="random"/>.</summary>
    public static SKRectI Patch(int width, int height, double share, Random random)
    {
        var area = share * width * height;
        var patchWidth = Math.Clamp((int)Math.Round(Math.Sqrt(area * width / height)), 1, width);
        var patchHeight = Math.Clamp((int)Math.Round(area / patchWidth), 1, height);
        // Widen to the crop when rows alone cannot hold the area (share near 1).
        if ((double)patchWidth * patchHeight < area - patchHeight / 2.0 && patchWidth < width)
        {
            patchWidth = Math.Clamp((int)Math.Round(area / patchHeight), 1, width);
        }
        var left = random.Next(width - patchWidth + 1);
        var top = random.Next(height - patchHeight + 1);
        return new SKRectI(left, top, left + patchWidth, top + patchHeight);
    }

    /// <summary>Paints <paramref name="patch"/> uniform grey on <paramref name="bitmap"/>.</summary>
    public static void Occlude(SKBitmap bitmap, SKRectI patch)
    {
        using var canvas = new SKCanvas(bitmap);
        using var grey = new SKPaint { Color = new SKColor(PatchGrey, PatchGrey, PatchGrey), IsAntialias = false };
        canvas.DrawRect(SKRect.Create(patch.Left, patch.Top, patch.Width, patch.Height), grey);
    }

    /// <summary>Returns a copy of <paramref name="bitmap"/> blurred with a Gaussian of standard deviation <paramref name="sigmaShare"/> × its width, edges clamped.</summary>
    public static SKBitmap Blur(SKBitmap bitmap, double sigmaShare)
    {
        var sigma = (float)(sigmaShare * bitmap.Width);
        var blurred = new SKBitmap(bitmap.Info);
        using var canvas = new SKCanvas(blurred);
        using var paint = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp) };
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        return blurred;
    }

    /// <summary>Decodes a crop as RGBA.</summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded; the message names the video and the file.</exception>
    public static SKBitmap Read(string file, string video)
    {
        using var data = SKData.Create(file);
        var decoded = data is null ? null : SKBitmap.Decode(data);
        if (decoded is null)
        {
            throw new InvalidDataException($"video '{video}': face crop '{file}' could not be decoded to corrupt it");
        }
        if (decoded.ColorType == SKColorType.Rgba8888)
        {
            return decoded;
        }
        using (decoded)
        {
            return decoded.Copy(SKColorType.Rgba8888)
                ?? throw new InvalidDataException($"video '{video}': face crop '{file}' could not be converted to RGBA to corrupt it");
        }
    }

    /// <summary>Writes <paramref name="bitmap"/> as a JPEG of quality 95 to <paramref name="file"/>.</summary>
    public static void Write(SKBitmap bitmap, string file)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 95);
        using var stream = File.Create(file);
        encoded.SaveTo(stream);
    }
}

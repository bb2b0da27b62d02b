using SkiaSharp;
using Sage.MLNet.IO;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Applies a <see cref="SageFaceAugmentation"/> to decoded crops: one crop-and-flip draw per crop file, repeatable.</summary>
internal sealed class FaceAugmentation
{
    // The crop is enlarged by at most 1 / MinCropScale; bilinear is enough there and, unlike Mitchell's smoothing cubic,
    // leaves pixels unchanged when nothing is cropped.
    private static readonly SKSamplingOptions s_resize = new(SKFilterMode.Linear, SKMipmapMode.None);

    private readonly SageFaceAugmentation _settings;

    public FaceAugmentation(SageFaceAugmentation settings)
    {
        _settings = settings;
    }

    /// <summary>Returns the draw's crop of <paramref name="image"/>, resized to <paramref name="width"/> × <paramref name="height"/> and mirrored when the draw says so.</summary>
    /// <param name="image">The decoded crop.</param>
    /// <param name="video">The video's crop-folder name, part of the draw's seed.</param>
    /// <param name="file">The crop file, whose name is part of the draw's seed.</param>
    /// <param name="width">Width of the result, in pixels.</param>
    /// <param name="height">Height of the result, in pixels.</param>
    public SKBitmap Apply(SKBitmap image, string video, string file, int width, int height)
    {
        var draw = Draw(video, Path.GetFileName(file), image.Width, image.Height);
        var result = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(result);
        if (draw.Flip)
        {
            canvas.Translate(width, 0);
            canvas.Scale(-1, 1);
        }
        using var source = SKImage.FromBitmap(image);
        canvas.DrawImage(source, draw.Crop, SKRect.Create(width, height), s_resize);
        canvas.Flush();
        return result;
    }

    /// <summary>Draws the crop rectangle (in <paramref name="width"/> × <paramref name="height"/> pixels) and the flip for one file.</summary>
    internal (SKRect Crop, bool Flip) Draw(string video, string fileName, int width, int height)
    {
        using var hash = new KeyHash();
        var key = hash.Add(_settings.Seed).Add(video).Add(fileName).ToHex();
        var random = new Random(Convert.ToInt32(key[..8], 16));
        var scale = _settings.MinCropScale + (1 - _settings.MinCropScale) * random.NextDouble();
        var cropWidth = Math.Max(1, (int)Math.Round(width * scale));
        var cropHeight = Math.Max(1, (int)Math.Round(height * scale));
        var left = random.Next(width - cropWidth + 1);
        var top = random.Next(height - cropHeight + 1);
        var flip = random.NextDouble() < _settings.HorizontalFlipProbability;
        return (SKRect.Create(left, top, cropWidth, cropHeight), flip);
    }
}

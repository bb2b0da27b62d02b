using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// ML.NET's stock <c>DnnFeaturizeImage</c> with the packaged ResNet18: one image at a time at its fixed 224 × 224, through two
/// ONNX Runtime sessions (the package's preprocessing and the CNN).
/// </summary>
/// <remarks>
/// Images are decoded and resized beforehand into the planar 0–255 RGB vectors ML.NET's <c>ExtractPixels</c> gives, and
/// only the featuriser is timed: <c>LoadImages</c> and <c>ExtractPixels</c> (Microsoft.ML.ImageAnalytics 5.0.1) are built
/// against SkiaSharp 2.88 and fail with MissingMethodException beside the SkiaSharp 4 this library uses.
/// </remarks>
internal static class StockImageFeaturizerBenchmark
{
    private const int Size = 224;

    /// <summary>Adds the stock featuriser's images/s on the first <paramref name="images"/> crops of <paramref name="cropFolder"/> to the table.</summary>
    public static void Throughput(string cropFolder, int images, int rounds, ResultTable table)
    {
        var ml = new MLContext(seed: 1);
        var rows = Directory.GetFiles(cropFolder, "*.jpg").Order().Take(images).Select(f => new PixelRow { Pixels = PlanarRgb(f) }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var transformer = ml.Transforms.DnnFeaturizeImage(
            "Features", m => m.ModelSelector.ResNet18(ml, m.OutputColumn, m.InputColumn), nameof(PixelRow.Pixels)).Fit(data);
        using var sessions = transformer as IDisposable;
        var warmUp = ml.Data.LoadFromEnumerable(rows.Take(4));
        _ = transformer.Transform(warmUp).GetColumn<float[]>("Features").ToList();
        var rate = new Spread();
        for (var round = 0; round < rounds; round++)
        {
            rate.Add(rows.Count / Timed.Seconds(() => _ = transformer.Transform(data).GetColumn<float[]>("Features").ToList()));
        }
        table.Add("Faces: ML.NET DnnFeaturizeImage (ResNet18)", rate.ToString("F1"), "images/s",
            $"{Size}² only, batch 1, {rows.Count} images, {rounds} rounds, decoding excluded (baseline note: 26.5)");
    }

    /// <summary>Returns the image resized to 224² as three planes of 0–255 values, red first, as ExtractPixels writes them.</summary>
    private static float[] PlanarRgb(string file)
    {
        using var decoded = SKBitmap.Decode(file);
        using var resized = decoded.Resize(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKCubicResampler.Mitchell));
        ReadOnlySpan<byte> rgba = resized.GetPixelSpan();
        const int plane = Size * Size;
        var planes = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            planes[i] = rgba[4 * i];
            planes[plane + i] = rgba[4 * i + 1];
            planes[2 * plane + i] = rgba[4 * i + 2];
        }
        return planes;
    }

    private sealed class PixelRow
    {
        [VectorType(3, Size, Size)]
        public float[] Pixels { get; set; } = [];
    }
}

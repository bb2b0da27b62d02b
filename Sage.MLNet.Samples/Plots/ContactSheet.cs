using SkiaSharp;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Plots;

/// <summary>A PNG of a few of a video's face crops, evenly spread over the frames that had a face, each labelled with its frame and time.</summary>
internal static class ContactSheet
{
    private const int Columns = 4;
    private const int Tile = 168;
    private const int Caption = 22;

    /// <summary>Writes up to <paramref name="count"/> crops of <paramref name="prediction"/> to <paramref name="path"/>; returns how many it drew.</summary>
    public static int Save(string path, VideoPrediction prediction, int count = 8)
    {
        var chosen = Choose(prediction, count);
        var rows = Math.Max(1, (chosen.Count + Columns - 1) / Columns);
        var info = new SKImageInfo(Columns * Tile, rows * (Tile + Caption));
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 14);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        if (chosen.Count == 0)
        {
            canvas.DrawText($"{prediction.VideoId}: no face found in any frame", 8, Caption, SKTextAlign.Left, font, ink);
        }
        for (var i = 0; i < chosen.Count; i++)
        {
            var (frame, file) = chosen[i];
            var x = i % Columns * Tile;
            var y = i / Columns * (Tile + Caption);
            using var crop = SKBitmap.Decode(file)
                ?? throw new InvalidDataException($"face crop '{file}' is not an image SkiaSharp can read");
            using var image = SKImage.FromBitmap(crop);
            canvas.DrawImage(image, new SKRect(x + 4, y + 4, x + Tile - 4, y + Tile - 4), new SKSamplingOptions(SKFilterMode.Linear));
            canvas.DrawText($"frame {frame.Frame}, {frame.Time:0.00} s", x + 6, y + Tile + 16, SKTextAlign.Left, font, ink);
        }
        using var png = surface.Snapshot().Encode(SKEncodedImageFormat.Png, 100);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            png.SaveTo(stream);
        }
        File.Move(temporary, path, overwrite: true);
        return chosen.Count;
    }

    private static List<(FramePrediction Frame, string File)> Choose(VideoPrediction prediction, int count)
    {
        var withCrops = prediction.Frames
            .Select(frame => (Frame: frame, File: Path.Combine(prediction.FaceFolder, $"{frame.Frame + 1:D5}.jpg")))
            .Where(pair => pair.Frame.Face && File.Exists(pair.File))
            .ToList();
        if (withCrops.Count <= count)
        {
            return withCrops;
        }
        // Evenly spread: the first and the last crop and the ones between at equal steps.
        return [.. Enumerable.Range(0, count).Select(i => withCrops[(int)Math.Round(i * (withCrops.Count - 1) / (double)(count - 1))])];
    }
}

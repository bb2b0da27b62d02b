using System.Diagnostics;
using FFMpegCore;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Media;
using SkiaSharp;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The README's picture of the alignment rule: a frame of a tilted face with BlazeFace's box and key points, the plain box
/// cut out and resized, and the crop ExtractFaces writes (eyes level, scaled and centred on the template).
/// </summary>
internal static class AlignmentFigure
{
    private const int Panel = 224;
    private const int Caption = 40;

    /// <summary>Makes a one-frame video of the photograph turned 20°, finds the face and writes the three panels to <paramref name="png"/>.</summary>
    public static int Write(string png, string photo)
    {
        var folder = Directory.CreateTempSubdirectory("sage-alignment-figure-").FullName;
        try
        {
            var video = Path.Combine(folder, "tilted.mp4");
            using (var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg",
                $"-y -v error -f lavfi -i color=c=black:s=640x360 -i \"{photo}\" -filter_complex \"[1:v]scale=300:300,rotate=a=20*PI/180:c=black[p];[0:v][p]overlay=x=170:y=30[v]\" " +
                $"-map \"[v]\" -frames:v 1 -c:v libx264 -pix_fmt yuv420p \"{video}\"") { RedirectStandardError = true })!)
            {
                ffmpeg.StandardError.ReadToEnd();
                ffmpeg.WaitForExit();
            }
            using var reader = VideoFrameReader.Open(video, GlobalFFOptions.Current, 1280);
            var frame = reader.Next() ?? throw new InvalidOperationException("the figure's video has no frame");
            using var detector = new BlazeFaceDetector(SageFaceDetectorModel.BlazeFaceFullRange, 0.5f, 0.3f, 2);
            var face = detector.Detect(frame.Rgba, frame.Width, frame.Height).MaxBy(f => f.Score)
                ?? throw new InvalidOperationException("BlazeFace found no face in the figure's frame");
            using var image = SKImage.FromPixelCopy(new SKImageInfo(frame.Width, frame.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul), frame.Rgba);
            using var surface = SKSurface.Create(new SKImageInfo(3 * Panel, Panel + Caption));
            var canvas = surface.Canvas;
            canvas.Clear(SKColors.White);
            var sampling = new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);

            // 1: the frame around the face (2.5 × the box), with the box and the six key points.
            var box = face.Box;
            var side = 2.5f * Math.Max(box.Width, box.Height);
            var around = SKRect.Create(box.X + box.Width / 2 - side / 2, box.Y + box.Height / 2 - side / 2, side, side);
            canvas.DrawImage(image, around, SKRect.Create(0, 0, Panel, Panel), sampling);
            var scale = Panel / side;
            SKPoint Map(float x, float y) => new((x - around.Left) * scale, (y - around.Top) * scale);
            using var red = new SKPaint { Color = SKColors.Red, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true };
            using var dot = new SKPaint { Color = SKColors.Yellow, IsAntialias = true };
            var topLeft = Map(box.Left, box.Top);
            canvas.DrawRect(topLeft.X, topLeft.Y, box.Width * scale, box.Height * scale, red);
            foreach (var point in face.Landmarks)
            {
                var p = Map(point.X, point.Y);
                canvas.DrawCircle(p.X, p.Y, 3, dot);
            }

            // 2: the plain box, cut out and resized; 3: the aligned crop, drawn at 112 and shown at twice that.
            canvas.DrawImage(image, SKRect.Create(box.X, box.Y, box.Width, box.Height), SKRect.Create(Panel, 0, Panel, Panel), sampling);
            using var crop = new SKBitmap(new SKImageInfo(112, 112, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            FaceAligner.Crop(frame.Rgba, frame.Width, frame.Height, FacePose.Of(face), crop);
            using var cropImage = SKImage.FromBitmap(crop);
            canvas.DrawImage(cropImage, SKRect.Create(0, 0, 112, 112), SKRect.Create(2 * Panel, 0, Panel, Panel), sampling);
            using var guide = new SKPaint { Color = SKColors.Cyan.WithAlpha(160), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
            canvas.DrawLine(2 * Panel, FaceAligner.EyeLine * Panel, 3 * Panel, FaceAligner.EyeLine * Panel, guide);

            using var font = new SKFont(SKTypeface.Default, 13);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            string[] captions = ["frame: detector box, key points", "detector box, resized", "ExtractFaces crop (112², ×2)"];
            for (var i = 0; i < captions.Length; i++)
            {
                canvas.DrawText(captions[i], i * Panel + 6, Panel + 24, SKTextAlign.Left, font, ink);
            }
            using var snapshot = surface.Snapshot();
            using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(png))!);
            File.WriteAllBytes(png, data.ToArray());
            Console.WriteLine($"wrote {png}: score {face.Score:F2}, box {box.Width:F0} × {box.Height:F0} px");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

using SkiaSharp;

namespace Sage.MLNet.Tests.Featurization.Faces;

/// <summary>Writes small face-crop folders (<c>00001.jpg</c> = frame 0) of JPEG images into a temporary folder.</summary>
internal sealed class FaceCropFolders : IDisposable
{
    public FaceCropFolders() => Root = Directory.CreateTempSubdirectory("sage-faces-").FullName;

    public string Root { get; }

    /// <summary>Creates folder <paramref name="video"/> with one crop per listed frame, each a smooth gradient tinted by its frame number.</summary>
    public string Add(string video, int size, params int[] frames)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, video)).FullName;
        foreach (var frame in frames)
        {
            WriteJpeg(Path.Combine(folder, $"{frame + 1:00000}.jpg"), size, (x, y) => new SKColor(
                (byte)(255 * x / size), (byte)((40 * frame + 255 * y / size) % 256), (byte)(200 - 30 * frame % 200)));
        }
        return folder;
    }

    public static void WriteJpeg(string file, int size, Func<int, int, SKColor> color)
    {
        using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                bitmap.SetPixel(x, y, color(x, y));
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(file, data.ToArray());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

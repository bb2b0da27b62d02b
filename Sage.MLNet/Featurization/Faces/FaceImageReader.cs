using SkiaSharp;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Decodes a face crop (JPEG or any format Skia reads), augments it at training time, and resizes it to the encoder's input size.</summary>
internal static class FaceImageReader
{
    // Mitchell cubic keeps edges without the ringing of Catmull-Rom; crops are usually already 112 × 112, so it rarely runs.
    private static readonly SKSamplingOptions s_resize = new(SKCubicResampler.Mitchell);

    /// <summary>Writes the crop's normalised planes into <paramref name="destination"/>, [3, H, W].</summary>
    /// <param name="file">The crop file.</param>
    /// <param name="video">The video's name, for errors and the augmentation's draw.</param>
    /// <param name="normalization">The encoder's input size and pixel normalisation.</param>
    /// <param name="destination">[3, H, W], written.</param>
    /// <param name="augmentation">The training-time augmentation, or null to read the crop as it is.</param>
    /// <exception cref="InvalidDataException">The file cannot be decoded; the message names the video and the file.</exception>
    public static void Read(string file, string video, FaceImageNormalization normalization, Span<float> destination, FaceAugmentation? augmentation = null)
    {
        using var codec = SKCodec.Create(file, out var opened) ?? throw Unreadable(file, video, opened);
        Read(codec, file, video, normalization, destination, augmentation);
    }

    /// <summary>Writes the normalised planes of a crop held in memory (encoded bytes, as a file would hold them) into <paramref name="destination"/>, [3, H, W].</summary>
    /// <exception cref="InvalidDataException">The bytes cannot be decoded; the message names the video.</exception>
    public static void Read(byte[] image, string video, FaceImageNormalization normalization, Span<float> destination)
    {
        using var data = SKData.CreateCopy(image);
        const string name = "(live crop)";
        using var codec = SKCodec.Create(data) ?? throw Unreadable(name, video, SKCodecResult.InvalidInput);
        Read(codec, name, video, normalization, destination, augmentation: null);
    }

    private static void Read(SKCodec codec, string file, string video, FaceImageNormalization normalization, Span<float> destination, FaceAugmentation? augmentation)
    {
        using var decoded = Decode(codec, file, video);
        if (augmentation is not null)
        {
            using var augmented = augmentation.Apply(decoded, video, file, normalization.Width, normalization.Height);
            normalization.Write(augmented, destination);
            return;
        }
        if (decoded.Width == normalization.Width && decoded.Height == normalization.Height)
        {
            normalization.Write(decoded, destination);
            return;
        }
        var info = new SKImageInfo(normalization.Width, normalization.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = decoded.Resize(info, s_resize)
            ?? throw new InvalidDataException($"video '{video}': face crop '{file}' could not be resized to {normalization.Width} × {normalization.Height}");
        normalization.Write(resized, destination);
    }

    private static SKBitmap Decode(SKCodec codec, string file, string video)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        // IncompleteInput (a truncated file) still fills the missing rows with grey; such a crop is treated as corrupt, not featurised.
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw Unreadable(file, video, result);
        }
        return bitmap;
    }

    private static InvalidDataException Unreadable(string file, string video, SKCodecResult result) =>
        new($"video '{video}': face crop '{file}' is not a readable image ({result})");
}

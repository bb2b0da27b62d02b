using SkiaSharp;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Turns a decoded RGBA image of the encoder's input size into one planar [3, H, W] slice of the encoder's input:
/// value = (pixel × scale − mean[c, y, x]) / std[c], planes in the encoder's channel order.
/// </summary>
internal sealed class FaceImageNormalization
{
    private readonly bool _bgr;
    private readonly float _scale;
    private readonly float[] _meanPlanes;       // [3, H, W] in encoder plane order
    private readonly float[] _inverseStds;      // [3] in encoder plane order

    private FaceImageNormalization(int width, int height, bool bgr, float scale, float[] meanPlanes, float[] inverseStds)
    {
        Width = width;
        Height = height;
        _bgr = bgr;
        _scale = scale;
        _meanPlanes = meanPlanes;
        _inverseStds = inverseStds;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Values per image: 3 × H × W.</summary>
    public int ImageSize => 3 * Width * Height;

    /// <summary>Returns a normalisation that subtracts one mean per plane and divides by one std per plane (both in encoder plane order).</summary>
    public static FaceImageNormalization PerChannel(int width, int height, SageFaceChannelOrder order, float scale, float[] planeMeans, float[] planeStds)
    {
        var plane = width * height;
        var meanPlanes = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            meanPlanes.AsSpan(c * plane, plane).Fill(planeMeans[c]);
        }
        return new(width, height, order == SageFaceChannelOrder.Bgr, scale, meanPlanes, planeStds.Select(s => 1f / s).ToArray());
    }

    /// <summary>Returns a normalisation that subtracts a whole mean image, [3, H, W] in encoder plane order, with std 1.</summary>
    public static FaceImageNormalization MeanImage(int width, int height, SageFaceChannelOrder order, float scale, float[] meanImage) =>
        new(width, height, order == SageFaceChannelOrder.Bgr, scale, meanImage, [1f, 1f, 1f]);

    /// <param name="image">An RGBA8888 bitmap of exactly <see cref="Width"/> × <see cref="Height"/>.</param>
    /// <param name="destination">[3, H, W]</param>
    public void Write(SKBitmap image, Span<float> destination)
    {
        var plane = Width * Height;
        ReadOnlySpan<byte> rgba = image.GetPixelSpan();
        var first = destination[..plane];
        var second = destination.Slice(plane, plane);
        var third = destination.Slice(2 * plane, plane);
        var redPlane = _bgr ? third : first;
        var bluePlane = _bgr ? first : third;
        var redIndex = _bgr ? 2 : 0;
        var blueIndex = _bgr ? 0 : 2;
        for (var i = 0; i < plane; i++)
        {
            redPlane[i] = (rgba[4 * i] * _scale - _meanPlanes[redIndex * plane + i]) * _inverseStds[redIndex];
            second[i] = (rgba[4 * i + 1] * _scale - _meanPlanes[plane + i]) * _inverseStds[1];
            bluePlane[i] = (rgba[4 * i + 2] * _scale - _meanPlanes[blueIndex * plane + i]) * _inverseStds[blueIndex];
        }
    }
}

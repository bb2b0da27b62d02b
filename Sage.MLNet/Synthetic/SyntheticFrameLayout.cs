using SkiaSharp;

namespace Sage.MLNet.Synthetic;

/// <summary>Where faces sit in a synthetic video's frames: small frames keep ffmpeg fast and the files tiny.</summary>
internal static class SyntheticFrameLayout
{
    /// <summary>Frame width, in pixels.</summary>
    public const int Width = 160;

    /// <summary>Frame height, in pixels.</summary>
    public const int Height = 120;

    /// <summary>Returns the box each person's face is drawn in: one centred face, or a left and a right one.</summary>
    public static SKRect[] FaceBoxes(int people) =>
        people == 1
            ? [SKRect.Create(32, 12, 96, 96)]
            : [SKRect.Create(4, 24, 72, 72), SKRect.Create(84, 24, 72, 72)];
}

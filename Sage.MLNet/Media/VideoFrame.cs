namespace Sage.MLNet.Media;

/// <summary>One decoded video frame: its place in the video, its own time, and its pixels as RGBA rows.</summary>
/// <remarks>The reader reuses one instance (and its buffer) per video; copy what must outlive the next read.</remarks>
internal sealed class VideoFrame
{
    public VideoFrame(int width, int height)
    {
        Width = width;
        Height = height;
        Rgba = new byte[checked(width * height * 4)];
    }

    /// <summary>0-based: the i-th frame ffmpeg decodes from the video stream (see <see cref="VideoFrameReader"/>).</summary>
    public int Index { get; set; }

    /// <summary>The frame's presentation time in seconds, on ffmpeg's timeline where the file starts at 0.</summary>
    public double Time { get; set; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Width × Height × 4 bytes, row-major, R G B A.</summary>
    public byte[] Rgba { get; }
}

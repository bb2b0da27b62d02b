using FFMpegCore.Pipes;

namespace Sage.MLNet.Synthetic;

/// <summary>One video frame as raw RGBA bytes, the form FFMpegCore's raw video pipe hands to ffmpeg.</summary>
internal sealed class RawRgbaFrame(int width, int height, byte[] pixels) : IVideoFrame
{
    public int Width => width;

    public int Height => height;

    public string PixelFormat => "rgba";

    public void Serialize(Stream pipe) => pipe.Write(pixels);

    public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(pixels, token).AsTask();
}

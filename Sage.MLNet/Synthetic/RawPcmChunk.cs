using FFMpegCore.Pipes;

namespace Sage.MLNet.Synthetic;

/// <summary>A run of 16-bit little-endian mono samples, the form FFMpegCore's raw audio pipe hands to ffmpeg.</summary>
internal sealed class RawPcmChunk(byte[] pcm) : IAudioSample
{
    public void Serialize(Stream pipe) => pipe.Write(pcm);

    public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(pcm, token).AsTask();
}

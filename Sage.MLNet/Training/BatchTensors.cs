using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// The CPU tensors a <see cref="ClipBatch"/> is copied into for each step, made once for the whole training run: one copy
/// per step into memory that stays, and a view of the filled clips (not a second copy) for the last, partial batch.
/// </summary>
internal sealed class BatchTensors : IDisposable
{
    public BatchTensors(ClipBatch batch, int visualSize, int audioSize)
    {
        int capacity = batch.Capacity, length = batch.Length;
        Visual = new HostTensor([capacity, length, visualSize]);
        Audio = new HostTensor([capacity, length, audioSize]);
        Labels = new HostTensor([capacity, length, 2]);
        FrameMask = new HostTensor([capacity, length]);
        LabelMask = new HostTensor([capacity, length]);
    }

    public HostTensor Visual { get; }

    public HostTensor Audio { get; }

    public HostTensor Labels { get; }

    public HostTensor FrameMask { get; }

    public HostTensor LabelMask { get; }

    public void Dispose()
    {
        Visual.Dispose();
        Audio.Dispose();
        Labels.Dispose();
        FrameMask.Dispose();
        LabelMask.Dispose();
    }
}

/// <summary>One reusable CPU tensor of a batch's full size, whose first clips are refilled from a host array at each step.</summary>
internal sealed class HostTensor : IDisposable
{
    private readonly Tensor _tensor;
    private readonly long _perClip;

    public HostTensor(long[] shape)
    {
        _tensor = zeros(shape).DetachFromDisposeScope();
        _perClip = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>Copies the first <paramref name="clips"/> clips of <paramref name="values"/> in, and returns them as a tensor on <paramref name="device"/> (a view on the CPU).</summary>
    public Tensor Fill(float[] values, int clips, Device device)
    {
        var filled = _tensor.narrow(0, 0, clips);          // the leading clips of a contiguous tensor: contiguous
        filled.bytes = MemoryMarshal.AsBytes(values.AsSpan(0, checked((int)(clips * _perClip))));
        return device.type == TorchSharp.DeviceType.CPU ? filled : filled.to(device);
    }

    public void Dispose() => _tensor.Dispose();
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// A temporal convolutional network for one modality (paper eq. 2): residual blocks with dilations
/// 1, 2, 4, ... so the receptive field grows exponentially with depth.
/// </summary>
internal sealed class TemporalConvNet : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly ModuleList<TemporalBlock> _blocks;

    public TemporalConvNet(int inputSize, int channels, int levels, int kernelSize, double dropout)
        : base(nameof(TemporalConvNet))
    {
        _blocks = nn.ModuleList<TemporalBlock>();
        for (var level = 0; level < levels; level++)
        {
            _blocks.Add(new TemporalBlock(level == 0 ? inputSize : channels, channels, kernelSize, 1 << level, dropout));
        }
        RegisterComponents();
    }

    public IList<TemporalBlock> Blocks => _blocks;

    /// <param name="x">[batch, time, features]</param>
    /// <param name="mask">[batch, time], 1 where a frame exists and 0 on padding; null when every frame exists</param>
    /// <returns>[batch, time, channels]</returns>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var channelMask = mask?.unsqueeze(1);
        // The convolutions read [batch, features, time] contiguously: one copy here, rather than one by each
        // convolution that reads a transposed view. A partial batch zeroes its padding first.
        var h = (channelMask is null ? x : x.mul(mask!.unsqueeze(-1))).transpose(1, 2).contiguous();
        foreach (var block in _blocks)
        {
            h = block.call(h, channelMask);
        }
        return h.transpose(1, 2).MoveToOuterDisposeScope();
    }
}

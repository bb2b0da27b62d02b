using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// Dropout of whole channels of a clip ("spatial" dropout, what <c>Dropout2d</c> computes), during training only, drawing
/// its mask from <see cref="DropoutNoise.Current"/>.
/// </summary>
internal sealed class ChannelDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _probability;

    public ChannelDropout(double probability) : base(nameof(ChannelDropout))
    {
        _probability = probability;
        RegisterComponents();
    }

    /// <param name="x">[batch, channels, 1, time], in any memory layout</param>
    /// <returns>[batch, channels, 1, time] in the layout of <paramref name="x"/>; <paramref name="x"/> itself outside training</returns>
    public override Tensor forward(Tensor x)
    {
        if (!training || _probability <= 0)
        {
            return x.alias();
        }
        using var scope = NewDisposeScope();
        var keep = 1 - _probability;
        using var keepScalar = keep.ToScalar();
        var factor = empty([x.shape[0], x.shape[1], 1, 1], x.dtype, x.device).bernoulli_(keep, DropoutNoise.Current).div_(keepScalar);
        return x.mul(factor).MoveToOuterDisposeScope();
    }
}

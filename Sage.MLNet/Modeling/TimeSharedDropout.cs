using TorchSharp;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// Dropout that removes the same features at every frame of a clip ("variational" or "locked" dropout,
/// Gal and Ghahramani 2016), during training only.
/// </summary>
/// <remarks>
/// Neighbouring frames are strongly correlated, so dropping single values regularises little; and it
/// needs one random number per value, which on the CPU costs more than the layer's matrix products.
/// This draws one per feature and clip, as a [batch, 1, features] factor (0 or 1 / (1 − p)) that
/// multiplies the clip in its own layout: no transposed copies. It draws from <see cref="DropoutNoise.Current"/>.
/// </remarks>
internal sealed class TimeSharedDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _probability;

    public TimeSharedDropout(double probability) : base(nameof(TimeSharedDropout))
    {
        _probability = probability;
        RegisterComponents();
    }

    /// <param name="x">[batch, time, features]</param>
    /// <returns>[batch, time, features]; <paramref name="x"/> itself outside training</returns>
    public override Tensor forward(Tensor x)
    {
        if (!training || _probability <= 0)
        {
            return x.alias();
        }
        using var scope = NewDisposeScope();
        var keep = 1 - _probability;
        using var keepScalar = keep.ToScalar();
        var factor = empty([x.shape[0], 1, x.shape[2]], x.dtype, x.device).bernoulli_(keep, DropoutNoise.Current).div_(keepScalar);
        return x.mul(factor).MoveToOuterDisposeScope();
    }
}

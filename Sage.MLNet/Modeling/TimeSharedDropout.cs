using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// Dropout that removes the same features at every frame of a clip ("variational" or "locked" dropout,
/// Gal and Ghahramani 2016), during training only.
/// </summary>
/// <remarks>
/// Neighbouring frames are strongly correlated, so dropping single values regularises little; and it
/// needs one random number per value, which on the CPU costs more than the layer's matrix products.
/// This draws one per feature and clip.
/// </remarks>
internal sealed class TimeSharedDropout : nn.Module<Tensor, Tensor>
{
    private readonly Dropout1d _dropout;

    public TimeSharedDropout(double probability) : base(nameof(TimeSharedDropout))
    {
        _dropout = nn.Dropout1d(probability);
        RegisterComponents();
    }

    /// <param name="x">[batch, time, features]</param>
    /// <returns>[batch, time, features]</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Dropout1d drops whole channels of [batch, channels, length]: here, features across time.
        return _dropout.call(x.transpose(1, 2)).transpose(1, 2).MoveToOuterDisposeScope();
    }
}

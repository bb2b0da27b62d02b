using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// The gated multimodal unit of Arevalo et al. (2017), the gating baseline (<see cref="SageFusion.GatedMultimodalUnit"/>):
/// h_v = tanh(W_v·x_v), h_a = tanh(W_a·x_a), z = σ(W_z·[x_v, x_a]) per feature and frame, Z = z ⊙ h_v + (1 − z) ⊙ h_a.
/// </summary>
internal sealed class GatedMultimodalUnitFusion : FusionModule
{
    private readonly Linear _visualProjection;      // W_v: C -> D
    private readonly Linear _audioProjection;       // W_a: C -> D
    private readonly Linear _gate;                  // W_z: 2C -> D
    private readonly int _channels;

    public GatedMultimodalUnitFusion(int channels, int width) : base(nameof(GatedMultimodalUnitFusion))
    {
        _visualProjection = nn.Linear(channels, width);
        _audioProjection = nn.Linear(channels, width);
        _gate = nn.Linear(2 * channels, width);
        _channels = channels;
        RegisterComponents();
    }

    public Linear VisualProjection => _visualProjection;

    public Linear AudioProjection => _audioProjection;

    public Linear Gate => _gate;

    /// <param name="x">[batch, time, 2C]: X_v then X_a</param>
    /// <param name="mask">[batch, time], 1 where a frame exists and 0 on padding</param>
    /// <returns>Z as [batch, time, D] and (2·mean z, 2·mean(1 − z)) over the D features as [batch, time, 2], 0 on padding</returns>
    public override (Tensor Fused, Tensor Weights) forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var visual = _visualProjection.call(x.narrow(-1, 0, _channels)).tanh();
        var audio = _audioProjection.call(x.narrow(-1, _channels, _channels)).tanh();
        var z = _gate.call(x).sigmoid();
        var fused = audio.addcmul(z, visual.add(audio, Scalars.MinusOne), Scalars.One);                      // z·h_v + (1 − z)·h_a
        // Equal shares give 1 each, the scale of the other variants; the two always sum to 2.
        var visualWeight = z.mean([-1L]).mul(Scalars.Two).mul(mask);
        var weights = stack([visualWeight, mask.mul(Scalars.Two).add(visualWeight, Scalars.MinusOne)], -1);
        return (fused.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}

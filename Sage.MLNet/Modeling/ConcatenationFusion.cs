using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>No re-weighting, Z = X: the ablation of <see cref="SageFusion.Concatenation"/>. Holds no weights.</summary>
internal sealed class ConcatenationFusion : FusionModule
{
    public ConcatenationFusion() : base(nameof(ConcatenationFusion))
    {
        RegisterComponents();
    }

    /// <param name="x">[batch, time, D]</param>
    /// <param name="mask">[batch, time], 1 where a frame exists and 0 on padding</param>
    /// <returns>Z = X as [batch, time, D] and weights of 1 (0 on padding) as [batch, time, 2]</returns>
    public override (Tensor Fused, Tensor Weights) forward(Tensor x, Tensor mask) =>
        (x.alias(), mask.unsqueeze(-1).expand(-1, -1, 2));
}

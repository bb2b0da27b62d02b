using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// Reliability-Guided Fusion (paper eq. 6-11): one logit per time step from a Linear D→1, a softmax
/// over the clip's frames gives α (Σα = 1), and Z = diag(α)·X. Both modalities of a frame get its one weight α·N.
/// </summary>
internal sealed class ReliabilityGuidedFusion : FusionModule
{
    private readonly Linear _score;                 // W_r, b_r: D -> 1
    private readonly SageReliabilityScaling _scaling;

    public ReliabilityGuidedFusion(int features, SageReliabilityScaling scaling) : base(nameof(ReliabilityGuidedFusion))
    {
        _score = nn.Linear(features, 1);
        _scaling = scaling;
        RegisterComponents();
    }

    public Linear Score => _score;

    /// <param name="x">[batch, time, D]</param>
    /// <param name="mask">[batch, time], 1 where a frame exists and 0 on padding</param>
    /// <returns>Z as [batch, time, D] and α·N (N = the clip's frames) for both modalities as [batch, time, 2], 0 on padding</returns>
    public override (Tensor Fused, Tensor Weights) forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var logits = _score.call(x).squeeze(-1).masked_fill(mask.eq(Scalars.Zero), Scalars.NegativeInfinity);  // g, eq. 7
        var alpha = logits.softmax(-1);                                                            // eq. 8
        var relative = alpha * mask.sum(-1, keepdim: true);
        var factors = _scaling == SageReliabilityScaling.Literal ? alpha : relative;
        var fused = x * factors.unsqueeze(-1);                                                     // eq. 10
        var weights = relative.unsqueeze(-1).expand(-1, -1, 2);
        return (fused.MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }
}

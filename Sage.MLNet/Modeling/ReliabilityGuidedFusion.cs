using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// Reliability-Guided Fusion (paper eq. 6-11): one logit per time step from a Linear D→1, a softmax
/// over the clip's frames gives α (Σα = 1), and Z = diag(α)·X.
/// </summary>
internal sealed class ReliabilityGuidedFusion : nn.Module<Tensor, Tensor, (Tensor Fused, Tensor Alpha)>
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
    /// <returns>Z as [batch, time, D] and α as [batch, time] (0 on padding, Σα = 1 per clip)</returns>
    public override (Tensor Fused, Tensor Alpha) forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var logits = _score.call(x).squeeze(-1).masked_fill(mask.eq(Scalars.Zero), Scalars.NegativeInfinity);  // g, eq. 7
        var alpha = logits.softmax(-1);                                                            // eq. 8
        var weights = _scaling == SageReliabilityScaling.Literal
            ? alpha
            : alpha * mask.sum(-1, keepdim: true);
        var fused = x * weights.unsqueeze(-1);                                                     // eq. 10
        return (fused.MoveToOuterDisposeScope(), alpha.MoveToOuterDisposeScope());
    }
}

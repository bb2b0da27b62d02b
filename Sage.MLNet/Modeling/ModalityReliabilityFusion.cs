using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// The paper's prose read literally: a logit per modality per frame, each from that modality's own TCN output, a
/// softmax over the clip per modality, and each modality's features scaled by its own weights (α_v, α_a) before
/// they go on together. See <see cref="SageFusion.ModalityReliability"/>.
/// </summary>
internal sealed class ModalityReliabilityFusion : FusionModule
{
    private readonly Linear _visualScore;           // C -> 1, from X_v only
    private readonly Linear _audioScore;            // C -> 1, from X_a only
    private readonly int _channels;
    private readonly SageReliabilityScaling _scaling;

    public ModalityReliabilityFusion(int channels, SageReliabilityScaling scaling) : base(nameof(ModalityReliabilityFusion))
    {
        _visualScore = nn.Linear(channels, 1);
        _audioScore = nn.Linear(channels, 1);
        _channels = channels;
        _scaling = scaling;
        RegisterComponents();
    }

    public Linear VisualScore => _visualScore;

    public Linear AudioScore => _audioScore;

    /// <param name="x">[batch, time, 2C]: X_v then X_a</param>
    /// <param name="mask">[batch, time], 1 where a frame exists and 0 on padding</param>
    /// <returns>Z as [batch, time, 2C] and (α_v·N, α_a·N) as [batch, time, 2], 0 on padding</returns>
    public override (Tensor Fused, Tensor Weights) forward(Tensor x, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var padding = mask.eq(Scalars.Zero);
        var visualLogits = _visualScore.call(x.narrow(-1, 0, _channels)).squeeze(-1).masked_fill(padding, Scalars.NegativeInfinity);
        var audioLogits = _audioScore.call(x.narrow(-1, _channels, _channels)).squeeze(-1).masked_fill(padding, Scalars.NegativeInfinity);
        var alpha = stack([visualLogits, audioLogits], -1).softmax(1);                                  // [batch, time, 2], softmax over time
        var relative = alpha * mask.sum(-1, keepdim: true).unsqueeze(-1);
        var factors = _scaling == SageReliabilityScaling.Literal ? alpha : relative;
        var shape = x.shape;
        var fused = (x.view(shape[0], shape[1], 2, _channels) * factors.unsqueeze(-1)).view(shape);
        return (fused.MoveToOuterDisposeScope(), relative.MoveToOuterDisposeScope());
    }
}

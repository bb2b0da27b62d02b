using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// One pre-norm Transformer encoder layer: x + Attention(LayerNorm(x)), then x + FeedForward(LayerNorm(x)).
/// Pre-norm keeps gradients well scaled without a learning-rate warm-up.
/// </summary>
/// <remarks>
/// Dropout acts on the two residual branches only, and drops features for a whole clip
/// (<see cref="TimeSharedDropout"/>); attention weights are not dropped.
/// </remarks>
internal sealed class TransformerLayer : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm _attentionNorm;
    private readonly SelfAttention _attention;
    private readonly LayerNorm _feedForwardNorm;
    private readonly Linear _feedForward1;
    private readonly Linear _feedForward2;
    private readonly TimeSharedDropout _dropout;

    public TransformerLayer(int width, int heads, int feedForwardSize, double dropout) : base(nameof(TransformerLayer))
    {
        _attentionNorm = nn.LayerNorm(width);
        _attention = new SelfAttention(width, heads);
        _feedForwardNorm = nn.LayerNorm(width);
        _feedForward1 = nn.Linear(width, feedForwardSize);
        _feedForward2 = nn.Linear(feedForwardSize, width);
        _dropout = new TimeSharedDropout(dropout);
        RegisterComponents();
    }

    public LayerNorm AttentionNorm => _attentionNorm;

    public SelfAttention Attention => _attention;

    public LayerNorm FeedForwardNorm => _feedForwardNorm;

    public Linear FeedForward1 => _feedForward1;

    public Linear FeedForward2 => _feedForward2;

    /// <param name="x">[batch, time, D]</param>
    /// <param name="keyBias">[batch, 1, 1, time], 0 for frames and -inf for padding; null when every frame exists</param>
    /// <returns>[batch, time, D]</returns>
    public override Tensor forward(Tensor x, Tensor? keyBias)
    {
        using var scope = NewDisposeScope();
        var h = x.add(_dropout.call(_attention.call(_attentionNorm.call(x), keyBias)), Scalars.One);
        var ff = _feedForward2.call(_feedForward1.call(_feedForwardNorm.call(h)).relu_());
        return h.add(_dropout.call(ff), Scalars.One).MoveToOuterDisposeScope();
    }
}

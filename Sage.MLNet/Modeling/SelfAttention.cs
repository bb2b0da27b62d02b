using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>Multi-head scaled dot-product self-attention (paper eq. 12-13) that ignores padded frames.</summary>
internal sealed class SelfAttention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear _inProjection;          // W_Q, W_K, W_V stacked: D -> 3D
    private readonly Linear _outProjection;         // D -> D
    private readonly int _heads;

    public SelfAttention(int width, int heads) : base(nameof(SelfAttention))
    {
        _inProjection = nn.Linear(width, 3 * width);
        _outProjection = nn.Linear(width, width);
        _heads = heads;
        RegisterComponents();
    }

    public Linear InProjection => _inProjection;

    public Linear OutProjection => _outProjection;

    /// <param name="x">[batch, time, D]</param>
    /// <param name="keyBias">[batch, 1, 1, time], 0 for frames and -inf for padding; null when every frame exists</param>
    /// <returns>[batch, time, D]</returns>
    public override Tensor forward(Tensor x, Tensor? keyBias)
    {
        using var scope = NewDisposeScope();
        var batch = x.shape[0];
        var time = x.shape[1];
        var width = x.shape[2];
        var qkv = _inProjection.call(x).view(batch, time, 3, _heads, width / _heads).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(
            qkv[0], qkv[1], qkv[2], keyBias);       // [batch, heads, time, D/heads]
        var merged = attended.transpose(1, 2).reshape(batch, time, width);
        return _outProjection.call(merged).MoveToOuterDisposeScope();
    }
}

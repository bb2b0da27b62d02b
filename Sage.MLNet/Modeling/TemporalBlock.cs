using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sage.MLNet.Modeling;

/// <summary>
/// One residual TCN block: two dilated, non-causal Conv1d layers with ReLU and channel dropout, and a
/// 1×1 convolution on the skip path when the width changes.
/// </summary>
/// <remarks>
/// Dropout removes whole channels of a clip ("spatial dropout", as in Bai et al.'s TCN) rather than
/// single values: neighbouring frames are strongly correlated, so element dropout regularises little,
/// and on the CPU it costs ten times more (one random number per value instead of per channel).
/// </remarks>
internal sealed class TemporalBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Conv1d _conv1;
    private readonly Conv1d _conv2;
    private readonly Conv1d? _downsample;
    private readonly ChannelDropout _dropout;

    public TemporalBlock(int inChannels, int outChannels, int kernelSize, int dilation, double dropout)
        : base(nameof(TemporalBlock))
    {
        // "Same" padding keeps the frame count, so every frame keeps its own prediction.
        var padding = dilation * (kernelSize - 1) / 2;
        _conv1 = nn.Conv1d(inChannels, outChannels, kernelSize, padding: padding, dilation: dilation);
        _conv2 = nn.Conv1d(outChannels, outChannels, kernelSize, padding: padding, dilation: dilation);
        _downsample = inChannels == outChannels ? null : nn.Conv1d(inChannels, outChannels, 1);
        _dropout = new ChannelDropout(dropout);     // on [batch, channels, 1, time]: whole channels of a clip
        RegisterComponents();
    }

    public int Dilation => (int)_conv1.dilation[0];

    public Conv1d FirstConvolution => _conv1;

    public Conv1d SecondConvolution => _conv2;

    public Conv1d? Downsample => _downsample;

    /// <param name="x">[batch, channels_in, 1, time], best in channels-last memory (see <see cref="TemporalConvNet"/>)</param>
    /// <param name="mask">[batch, 1, 1, time], 1 where a frame exists and 0 on padding; null when every frame exists</param>
    /// <returns>[batch, channels_out, 1, time], zero on padding, in the memory layout of <paramref name="x"/></returns>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        // A convolution's backward pass reads its input, not its output, so ReLU may overwrite the output in place.
        var h = _dropout.call(Convolve(_conv1, x).relu_());
        h = _dropout.call(Convolve(_conv2, h).relu_());
        var skip = _downsample is null ? x : Convolve(_downsample, x);
        var output = h.add(skip, Scalars.One).relu_();
        // Re-zero padding so that a short video padded to a full clip sees the same zeros at every level.
        return (mask is null ? output : output.mul(mask)).MoveToOuterDisposeScope();
    }

    /// <summary>Applies a Conv1d's weights to [batch, channels, 1, time] as the equivalent 1 × K two-dimensional convolution.</summary>
    private static Tensor Convolve(Conv1d convolution, Tensor x) =>
        nn.functional.conv2d(x, convolution.weight!.unsqueeze(2), convolution.bias,
            strides: [1, 1], padding: [0, convolution.padding![0]], dilation: [1, convolution.dilation[0]]);
}

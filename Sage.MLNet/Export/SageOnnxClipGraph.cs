using Sage.MLNet.Modeling;
using TorchSharp.Modules;
using static Sage.MLNet.Export.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Sage.MLNet.Export;

/// <summary>
/// Writes the <see cref="SageNetwork"/> forward pass in eval mode (no dropout) into an ONNX graph, batched
/// over W clips of L frames with a padding mask, node for node as the TorchSharp modules compute it.
/// </summary>
internal sealed class SageOnnxClipGraph
{
    private readonly OnnxGraphBuilder _graph;
    private readonly SageNetwork _network;

    public SageOnnxClipGraph(OnnxGraphBuilder graph, SageNetwork network)
    {
        _graph = graph;
        _network = network;
    }

    /// <param name="visual">[W, L, Dv], zero on padding</param>
    /// <param name="audio">[W, L, Da], zero on padding</param>
    /// <param name="mask">[W, L] float, 1 where a frame exists and 0 on padding</param>
    /// <param name="valid">[W, L] bool, the same mask</param>
    /// <returns>(valence, arousal) as [W, L, 2], and reliability α·N as [W, L, 1]</returns>
    public (string Prediction, string Reliability) Write(string visual, string audio, string mask, string valid)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var channelMask = _graph.Node("Unsqueeze", [mask, _graph.Int64s(1)]);              // [W, 1, L]
        var visualChannels = TemporalConvNet(visual, channelMask, _network.VisualTcn, "visual_tcn");
        var audioChannels = TemporalConvNet(audio, channelMask, _network.AudioTcn, "audio_tcn");
        // eq. 3: concatenating on the channel axis and transposing once gives cat(..., -1) of [W, L, C] tensors.
        var fusedChannels = _graph.Node("Concat", [visualChannels, audioChannels], IntAttribute("axis", 1));
        var x = Transpose(fusedChannels, 0, 2, 1);                                                // [W, L, D]

        // 0 on frames and -inf on padding: adding it equals masked_fill(mask == 0, -inf) on finite logits.
        var padBias = _graph.Node("Where", [valid, _graph.FloatScalar("zero", 0f), _graph.FloatScalar("negative_infinity", float.NegativeInfinity)]);
        var frameMask = _graph.Node("Unsqueeze", [mask, _graph.Int64s(2)]);                  // [W, L, 1]
        var (z, reliability) = Fusion(x, frameMask, padBias);

        var config = _network.Config;
        var positions = _graph.Floats(
            "positions", SinusoidalPositions.Create(config.WindowLength, config.FusedSize), [config.WindowLength, config.FusedSize]);
        var h = _graph.Node("Add", [z, positions]);
        var keyBias = _graph.Node("Unsqueeze", [padBias, _graph.Int64s(1, 2)]);              // [W, 1, 1, L]
        for (var i = 0; i < _network.Transformer.Count; i++)
        {
            h = TransformerLayer(h, keyBias, _network.Transformer[i], $"transformer.{i}");    // eq. 14
        }
        h = LayerNorm(h, _network.FinalNorm, "final_norm");
        var hidden = _graph.Node("Relu", [Linear(h, _network.HeadHidden, "head_hidden")]);
        var prediction = _graph.Node("Tanh", [Linear(hidden, _network.HeadOutput, "head_output")]);  // eq. 5
        return (prediction, reliability);
    }

    /// <summary>[W, L, F] to [W, C, L]; the input is already zero on padding, so TorchSharp's first x·mask is the identity here.</summary>
    private string TemporalConvNet(string input, string channelMask, Modeling.TemporalConvNet tcn, string name)
    {
        var h = Transpose(input, 0, 2, 1);
        for (var level = 0; level < tcn.Blocks.Count; level++)
        {
            h = TemporalBlock(h, channelMask, tcn.Blocks[level], $"{name}.{level}");
        }
        return h;
    }

    private string TemporalBlock(string input, string channelMask, Modeling.TemporalBlock block, string name)
    {
        var h = _graph.Node("Relu", [Convolution(input, block.FirstConvolution, $"{name}.conv1")]);
        h = _graph.Node("Relu", [Convolution(h, block.SecondConvolution, $"{name}.conv2")]);
        var skip = block.Downsample is null ? input : Convolution(input, block.Downsample, $"{name}.downsample");
        var output = _graph.Node("Relu", [_graph.Node("Add", [h, skip])]);
        // Re-zero padding after every block, as the module does, so padded frames never leak into real ones.
        return _graph.Node("Mul", [output, channelMask]);
    }

    /// <summary>Reliability-Guided Fusion, eq. 6-11: α = softmax over the clip's frames of a per-frame logit.</summary>
    private (string Fused, string Reliability) Fusion(string x, string frameMask, string padBias)
    {
        var fusion = _network.Fusion;
        var logits = Linear(x, fusion.Score, "fusion.score");                                   // [W, L, 1], eq. 7
        var masked = _graph.Node("Add", [logits, _graph.Node("Unsqueeze", [padBias, _graph.Int64s(2)])]);
        var alpha = _graph.Node("Softmax", [masked], IntAttribute("axis", 1));                  // eq. 8
        var frames = _graph.Node("ReduceSum", [frameMask, _graph.Int64s(1)], IntAttribute("keepdims", 1));  // N as [W, 1, 1]
        var reliability = _graph.Node("Mul", [alpha, frames]);
        var weights = _network.Config.ReliabilityScaling == SageReliabilityScaling.FrameCount ? reliability : alpha;
        return (_graph.Node("Mul", [x, weights]), reliability);                                 // eq. 10
    }

    /// <summary>Pre-norm encoder layer: x + Attention(LN(x)), then x + FeedForward(LN(x)).</summary>
    private string TransformerLayer(string x, string keyBias, Modeling.TransformerLayer layer, string name)
    {
        var attended = SelfAttention(LayerNorm(x, layer.AttentionNorm, $"{name}.attention_norm"), keyBias, layer.Attention, $"{name}.attention");
        var h = _graph.Node("Add", [x, attended]);
        var normed = LayerNorm(h, layer.FeedForwardNorm, $"{name}.feed_forward_norm");
        var hidden = _graph.Node("Relu", [Linear(normed, layer.FeedForward1, $"{name}.feed_forward1")]);
        return _graph.Node("Add", [h, Linear(hidden, layer.FeedForward2, $"{name}.feed_forward2")]);
    }

    /// <summary>Multi-head scaled dot-product attention, eq. 12-13, with -inf key bias on padded frames.</summary>
    private string SelfAttention(string x, string keyBias, Modeling.SelfAttention attention, string name)
    {
        var width = _network.Config.FusedSize;
        var heads = _network.Config.AttentionHeads;
        var headWidth = width / heads;
        var qkv = Linear(x, attention.InProjection, $"{name}.in_projection");                    // [W, L, 3D]
        var parts = _graph.Nodes("Split", [qkv, _graph.Int64s(width, width, width)], 3, IntAttribute("axis", 2));
        // Q/√d before Q·Kᵀ equals dividing the [L, L] scores by √d, with L/d times fewer multiplications.
        var scaledQueries = _graph.Node("Mul", [parts[0], _graph.FloatScalar($"{name}.scale", 1f / MathF.Sqrt(headWidth))]);
        var headShape = _graph.Int64s(0, 0, heads, headWidth);                                  // 0 copies W and L
        var queries = Transpose(_graph.Node("Reshape", [scaledQueries, headShape]), 0, 2, 1, 3);  // [W, H, L, d]
        var keysT = Transpose(_graph.Node("Reshape", [parts[1], headShape]), 0, 2, 3, 1);        // [W, H, d, L]
        var values = Transpose(_graph.Node("Reshape", [parts[2], headShape]), 0, 2, 1, 3);       // [W, H, L, d]
        var scores = _graph.Node("Add", [_graph.Node("MatMul", [queries, keysT]), keyBias]);
        var weights = _graph.Node("Softmax", [scores], IntAttribute("axis", -1));
        var attended = Transpose(_graph.Node("MatMul", [weights, values]), 0, 2, 1, 3);          // [W, L, H, d]
        var merged = _graph.Node("Reshape", [attended, _graph.Int64s(0, 0, width)]);
        return Linear(merged, attention.OutProjection, $"{name}.out_projection");
    }

    /// <summary>y = x·Wᵀ + b as MatMul and Add, which ONNX Runtime fuses; Gemm would need 2-D inputs.</summary>
    private string Linear(string input, Linear linear, string name)
    {
        var weightT = Weight(linear.weight!.t(), $"{name}.weight_t");
        var product = _graph.Node("MatMul", [input, weightT]);
        return linear.bias is null ? product : _graph.Node("Add", [product, Weight(linear.bias, $"{name}.bias")]);
    }

    private string Convolution(string input, Conv1d convolution, string name)
    {
        var padding = convolution.padding![0];
        string[] inputs = convolution.bias is null
            ? [input, Weight(convolution.weight!, $"{name}.weight")]
            : [input, Weight(convolution.weight!, $"{name}.weight"), Weight(convolution.bias, $"{name}.bias")];
        return _graph.Node(
            "Conv",
            inputs,
            IntsAttribute("kernel_shape", convolution.kernel_size),
            IntsAttribute("dilations", convolution.dilation),
            IntsAttribute("strides", convolution.stride),
            IntsAttribute("pads", [padding, padding]));                                         // symmetric, as Conv1d(padding: p)
    }

    private string LayerNorm(string input, LayerNorm norm, string name) => _graph.Node(
        "LayerNormalization",
        [input, Weight(norm.weight!, $"{name}.weight"), Weight(norm.bias!, $"{name}.bias")],
        IntAttribute("axis", -1),
        FloatAttribute("epsilon", (float)norm.eps));

    private string Transpose(string input, params long[] permutation) =>
        _graph.Node("Transpose", [input], IntsAttribute("perm", permutation));

    private string Weight(Tensor tensor, string name)
    {
        using var values = tensor.detach().cpu().contiguous().data<float>();
        return _graph.Floats(name, values.ToArray(), tensor.shape);
    }
}

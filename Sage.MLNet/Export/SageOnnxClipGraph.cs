using Sage.MLNet.Modeling;
using TorchSharp.Modules;
using static Sage.MLNet.Export.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Sage.MLNet.Export;

/// <summary>
/// Writes the <see cref="SageNetwork"/> forward pass in eval mode (no dropout) into an ONNX graph, for all W clips
/// of a video at once, computing what the TorchSharp modules compute but laid out for ONNX Runtime's CPU kernels.
/// </summary>
/// <remarks>
/// Activations are [rows, channels] matrices, so every Linear is one 2-D Gemm (bias and a following ReLU fused)
/// rather than a 3-D MatMul and a separate bias Add. After the TCNs only the n = min(T, L) real positions of each
/// clip go on (see <see cref="SageOnnxClipPlan"/>): no padded queries, and no −∞ key mask, since softmax over the
/// real keys alone is what the masked softmax computes.
/// </remarks>
internal sealed class SageOnnxClipGraph
{
    private readonly OnnxGraphBuilder _graph;
    private readonly SageNetwork _network;
    private readonly SageOnnxClipPlan _plan;
    private string? _lengthVector;
    private string? _rowsOfOnes;

    public SageOnnxClipGraph(OnnxGraphBuilder graph, SageNetwork network, SageOnnxClipPlan plan)
    {
        _graph = graph;
        _network = network;
        _plan = plan;
    }

    private int Length => _network.Config.WindowLength;

    private int Width => _network.Config.FusedSize;

    /// <summary>n as a one-element vector, for Slice ends and runtime shapes.</summary>
    private string LengthVector => _lengthVector ??= _graph.Node("Unsqueeze", [_plan.Length, _graph.Int64s(0)]);

    /// <param name="visual">[T, Dv], the video's frames</param>
    /// <param name="audio">[T, Da]</param>
    /// <param name="tcnOutput">A name for X, the TCNs' output as [W, n, D], so a live stream can feed it from its own per-frame TCN (<see cref="SageOnnxNames.TcnOutput"/>); null leaves it unnamed.</param>
    /// <returns>(valence, arousal) as [W·n, 2] and the reliability as [W·n, k] (see <see cref="Fusion"/>), for the n real frames of each clip</returns>
    public (string Prediction, string Reliability) Write(string visual, string audio, string? tcnOutput = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = new SageOnnxTcnGraph(_graph, _network, _plan).Write(visual, audio);                    // [W, n, D], eq. 3
        if (tcnOutput is not null)
        {
            // ONNX Runtime removes the Identity when it optimises the graph: naming X costs nothing.
            _graph.NamedNode("Identity", [x], [tcnOutput]);
            x = tcnOutput;
        }
        var (z, reliability) = Fusion(x);

        var positions = _graph.Floats("positions", SinusoidalPositions.Create(Length, Width), [Length, Width]);
        var h = _graph.Node("Add", [z, _graph.Node("Slice", [positions, _graph.Int64s(0), LengthVector, _graph.Int64s(0)])]);
        h = _graph.Node("Reshape", [h, _graph.Int64s(-1, Width)]);                                     // [W·n, D]
        for (var i = 0; i < _network.Transformer.Count; i++)
        {
            h = TransformerLayer(h, _network.Transformer[i], $"transformer.{i}");                   // eq. 14
        }
        h = LayerNorm(h, _network.FinalNorm, "final_norm");
        var hidden = _graph.Node("Relu", [Linear(h, _network.HeadHidden, "head_hidden")]);
        var prediction = _graph.Node("Tanh", [Linear(hidden, _network.HeadOutput, "head_output")]);  // eq. 5
        var columns = _network.Config.HasModalityWeights ? 3 : 1;
        return (prediction, _graph.Node("Reshape", [reliability, _graph.Int64s(-1, columns)]));
    }

    /// <summary>
    /// The network's fusion variant, from X as [W, n, D] to Z as [W, n, D] and the reliability as [W, n, k]: k = 1 (the
    /// frame's weight) or, for variants with a weight per modality, k = 3 (their mean, the visual and the audio weight).
    /// </summary>
    private (string Fused, string Reliability) Fusion(string x) => _network.Fusion switch
    {
        ReliabilityGuidedFusion fusion => ReliabilityGuided(x, fusion),
        ModalityReliabilityFusion fusion => ModalityReliability(x, fusion),
        ConcatenationFusion => (x, _graph.Node("ConstantOfShape", [
            _graph.Node("Concat", [_graph.Node("Slice", [_graph.Node("Shape", [x]), _graph.Int64s(0), _graph.Int64s(2)]), _graph.Int64s(1)], IntAttribute("axis", 0))],
            FloatTensorAttribute("value", 1f))),
        GatedMultimodalUnitFusion fusion => GatedMultimodalUnit(x, fusion),
        var other => throw new NotSupportedException($"No ONNX export for fusion module {other.GetType().Name}"),
    };

    /// <summary>Reliability-Guided Fusion, eq. 6-11: α = softmax over the clip's n real frames of a per-frame logit; reliability α·n.</summary>
    private (string Fused, string Reliability) ReliabilityGuided(string x, ReliabilityGuidedFusion fusion)
    {
        var logits = Score(x, fusion.Score, "fusion.score");                                                  // eq. 7
        var alpha = _graph.Node("Softmax", [logits], IntAttribute("axis", 1));                               // eq. 8
        var reliability = _graph.Node("Mul", [alpha, FrameCount()]);
        var weights = _network.Config.ReliabilityScaling == SageReliabilityScaling.FrameCount ? reliability : alpha;
        return (_graph.Node("Mul", [x, weights]), reliability);                                              // eq. 10
    }

    /// <summary>A softmax over the clip per modality, each logit from its own TCN's C channels; each half of X scaled by its own α.</summary>
    private (string Fused, string Reliability) ModalityReliability(string x, ModalityReliabilityFusion fusion)
    {
        var (visual, audio) = Halves(x);
        var logits = _graph.Node("Concat", [
            Score(visual, fusion.VisualScore, "fusion.visual_score"),
            Score(audio, fusion.AudioScore, "fusion.audio_score")], IntAttribute("axis", 2));                  // [W, n, 2]
        var alpha = _graph.Node("Softmax", [logits], IntAttribute("axis", 1));
        var relative = _graph.Node("Mul", [alpha, FrameCount()]);
        var factors = _network.Config.ReliabilityScaling == SageReliabilityScaling.FrameCount ? relative : alpha;
        var channels = _network.Config.TcnChannels;
        var perModality = _graph.Node("Reshape", [x, _graph.Int64s(0, 0, 2, channels)]);                    // [W, n, 2, C]
        var scaled = _graph.Node("Mul", [perModality, _graph.Node("Unsqueeze", [factors, _graph.Int64s(3)])]);
        var fused = _graph.Node("Reshape", [scaled, _graph.Int64s(0, 0, 2 * channels)]);
        return (fused, WithMean(relative));
    }

    /// <summary>The gated multimodal unit: Z = z ⊙ tanh(W_v·x_v) + (1 − z) ⊙ tanh(W_a·x_a), z = σ(W_z·x); weights 2·mean z and 2 − that.</summary>
    private (string Fused, string Reliability) GatedMultimodalUnit(string x, GatedMultimodalUnitFusion fusion)
    {
        var (visual, audio) = Halves(x);
        var hv = _graph.Node("Tanh", [Score(visual, fusion.VisualProjection, "fusion.visual_projection")]);
        var ha = _graph.Node("Tanh", [Score(audio, fusion.AudioProjection, "fusion.audio_projection")]);
        var z = _graph.Node("Sigmoid", [Score(x, fusion.Gate, "fusion.gate")]);
        var fused = _graph.Node("Add", [ha, _graph.Node("Mul", [z, _graph.Node("Sub", [hv, ha])])]);
        var two = _graph.FloatScalar("two", 2f);
        var visualWeight = _graph.Node("Mul", [_graph.Node("ReduceMean", [z], IntsAttribute("axes", [2]), IntAttribute("keepdims", 1)), two]);
        var audioWeight = _graph.Node("Sub", [two, visualWeight]);
        return (fused, WithMean(_graph.Node("Concat", [visualWeight, audioWeight], IntAttribute("axis", 2))));
    }

    /// <summary>x·Wᵀ + b on [W, n, in] for a Linear of the fusion.</summary>
    private string Score(string x, Linear linear, string name) =>
        _graph.Node("Add", [
            _graph.Node("MatMul", [x, Weight(linear.weight!.t(), $"{name}.weight_t")]),
            Weight(linear.bias!, $"{name}.bias")]);

    /// <summary>The visual and audio TCN outputs, the two halves of X as [W, n, C] each.</summary>
    private (string Visual, string Audio) Halves(string x)
    {
        var halves = _graph.Nodes("Split", [x, _graph.Int64s(_network.Config.TcnChannels, _network.Config.TcnChannels)], 2, IntAttribute("axis", 2));
        return (halves[0], halves[1]);
    }

    /// <summary>n as a float scalar, the N of α·N.</summary>
    private string FrameCount() => _graph.Node("Cast", [_plan.Length], IntAttribute("to", (int)Onnx.TensorProto.Types.DataType.Float));

    /// <summary>From (visual, audio) weights as [W, n, 2], [W, n, 3]: their mean (as the predictor computes it), visual, audio.</summary>
    private string WithMean(string weights)
    {
        var halves = _graph.Nodes("Split", [weights, _graph.Int64s(1, 1)], 2, IntAttribute("axis", 2));
        var mean = _graph.Node("Div", [_graph.Node("Add", [halves[0], halves[1]]), _graph.FloatScalar("two", 2f)]);
        return _graph.Node("Concat", [mean, weights], IntAttribute("axis", 2));
    }

    /// <summary>Pre-norm encoder layer on [W·n, D]: x + Attention(LN(x)), then x + FeedForward(LN(x)).</summary>
    private string TransformerLayer(string x, Modeling.TransformerLayer layer, string name)
    {
        var attended = SelfAttention(LayerNorm(x, layer.AttentionNorm, $"{name}.attention_norm"), layer.Attention, $"{name}.attention");
        var h = _graph.Node("Add", [x, attended]);
        var normed = LayerNorm(h, layer.FeedForwardNorm, $"{name}.feed_forward_norm");
        var hidden = _graph.Node("Relu", [Linear(normed, layer.FeedForward1, $"{name}.feed_forward1")]);
        return _graph.Node("Add", [h, Linear(hidden, layer.FeedForward2, $"{name}.feed_forward2")]);
    }

    /// <summary>
    /// Multi-head scaled dot-product attention, eq. 12-13, within each clip, on [W·n, D]. Q, K and V are each
    /// one batched MatMul of the clips, with a column of ones appended, by [H, D+1, d] weights whose last row
    /// is the bias: this writes them as [W, H, n, d] directly, with no bias Add, Split or head Transpose.
    /// </summary>
    private string SelfAttention(string x, Modeling.SelfAttention attention, string name)
    {
        var heads = _network.Config.AttentionHeads;
        var headWidth = Width / heads;
        var clipsShape = _graph.Node("Concat", [_graph.Int64s(-1, 1), LengthVector, _graph.Int64s(Width + 1)], IntAttribute("axis", 0));
        var clips = _graph.Node("Reshape", [_graph.Node("Concat", [x, RowsOfOnes()], IntAttribute("axis", 1)), clipsShape]);   // [W, 1, n, D+1]
        var weight = attention.InProjection.weight!;
        var bias = attention.InProjection.bias!;
        string Project(int part, float factor)
        {
            var rows = cat([weight.narrow(0, part * Width, Width).t(), bias.narrow(0, part * Width, Width).unsqueeze(0)]) * factor;   // [D+1, D]
            var perHead = rows.reshape(Width + 1, heads, headWidth).permute(1, 0, 2).unsqueeze(0);                                 // [1, H, D+1, d]
            return _graph.Node("MatMul", [clips, Weight(perHead, $"{name}.in_projection.{"qkv"[part]}")]);                        // [W, H, n, d]
        }
        // Q/√d before Q·Kᵀ equals dividing the [n, n] scores by √d; folded into W_Q and b_Q, it costs nothing.
        var queries = Project(0, 1f / MathF.Sqrt(headWidth));
        var keysT = Transpose(Project(1, 1f), 0, 1, 3, 2);                  // ONNX Runtime fuses this into the MatMul
        var values = Project(2, 1f);
        var weights = _graph.Node("Softmax", [_graph.Node("MatMul", [queries, keysT])], IntAttribute("axis", -1));
        var attended = Transpose(_graph.Node("MatMul", [weights, values]), 0, 2, 1, 3);                   // [W, n, H, d]
        return Linear(_graph.Node("Reshape", [attended, _graph.Int64s(-1, Width)]), attention.OutProjection, $"{name}.out_projection");
    }

    /// <summary>[W·n, 1] of ones, the bias column of the attention projections.</summary>
    private string RowsOfOnes()
    {
        if (_rowsOfOnes is null)
        {
            var clips = _graph.Node("Shape", [_plan.Starts]);                                             // [W]
            var shape = _graph.Node("Concat", [_graph.Node("Mul", [clips, LengthVector]), _graph.Int64s(1)], IntAttribute("axis", 0));
            _rowsOfOnes = _graph.Node("ConstantOfShape", [shape], FloatTensorAttribute("value", 1f));
        }
        return _rowsOfOnes;
    }

    /// <summary>y = x·Wᵀ + b on [rows, in] as one Gemm; ONNX Runtime fuses a following ReLU into it.</summary>
    private string Linear(string input, Linear linear, string name) =>
        _graph.Node("Gemm", [input, Weight(linear.weight!.t(), $"{name}.weight_t"), Weight(linear.bias!, $"{name}.bias")]);

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

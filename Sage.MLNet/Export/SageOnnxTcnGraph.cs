using Sage.MLNet.Modeling;
using TorchSharp.Modules;
using static Sage.MLNet.Export.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Sage.MLNet.Export;

/// <summary>
/// Writes both TCNs (eq. 2-3) into the ONNX graph, computing each video frame once rather than once for every
/// clip that covers it.
/// </summary>
/// <remarks>
/// <para>
/// A TCN output at clip position t depends on positions t − R … t + R only, where R, the receptive radius, is
/// the sum of every convolution's padding (14 frames for 3 levels of kernel 3). Away from the clip's ends it
/// therefore equals the same network run over the whole video, zero-padded at the video's ends; within R of a
/// clip's end it differs, because the clip's own zero padding cuts the taps there. So the activations of all
/// clips are one table of rows:
/// </para>
/// <code>
/// row 0               zeros, read by every tap that falls outside the clip or the video
/// rows 1 … span       video frames 0 … span − 1, where span = max(T, L) covers a short video's padded clip
/// the rest            the 2R positions at the two ends of each clip, clip by clip
/// </code>
/// <para>
/// Every convolution gathers the taps of all rows side by side (im2col) and is one Gemm. Clips of 300 frames
/// every 200 share frames, so a 1,000-frame video computes about 1,140 rows per layer instead of 5 × 300.
/// Every row holds what the per-clip computation has at that position: the same taps, weights and sums.
/// </para>
/// </remarks>
internal sealed class SageOnnxTcnGraph
{
    /// <summary>A frame offset that no video reaches: marks taps outside the clip, which then read row 0.</summary>
    private const long OutsideClip = 1L << 40;

    private readonly OnnxGraphBuilder _graph;
    private readonly SageNetwork _network;
    private readonly SageOnnxClipPlan _plan;
    private readonly int _length;
    private readonly int[] _edges;
    private readonly string _span;
    private readonly string _videoFrames;
    private readonly string _clipRows;
    private readonly string _rowFrames;
    private readonly string _rowIsReal;
    private readonly string _rowMask;
    private readonly string _rowExists;
    private readonly Dictionary<(long Taps, long Dilation, long Padding), string> _tapRows = [];

    public SageOnnxTcnGraph(OnnxGraphBuilder graph, SageNetwork network, SageOnnxClipPlan plan)
    {
        _graph = graph;
        _network = network;
        _plan = plan;
        _length = network.Config.WindowLength;
        var radius = Math.Max(Radius(network.VisualTcn), Radius(network.AudioTcn));
        _edges = [.. Enumerable.Range(0, _length).Where(t => t < radius || t >= _length - radius)];
        _span = graph.Node("Max", [plan.Frames, graph.Int64Scalar(_length)]);
        _videoFrames = graph.Node("Range", [graph.Int64Scalar(0), _span, graph.Int64Scalar(1)]);           // [span]

        // The row of each clip position: its video row inside the clip, its own edge row near the ends.
        var slots = new long[_length];
        for (var j = 0; j < _edges.Length; j++)
        {
            slots[_edges[j]] = j + 1;
        }
        var clips = graph.Node("Gather", [graph.Node("Shape", [plan.Starts]), graph.Int64Scalar(0)]);     // W
        var clipIndex = graph.Node("Unsqueeze", [graph.Node("Range", [graph.Int64Scalar(0), clips, graph.Int64Scalar(1)]), graph.Int64s(1)]);
        var edgeRows = graph.Node("Add", [
            graph.Node("Add", [graph.Node("Mul", [clipIndex, graph.Int64Scalar(_edges.Length)]), _span]),
            graph.Int64Tensor("tcn.edge_slots", slots, [_length])]);
        var isEdge = graph.Node("Cast", [graph.Int64Tensor("tcn.is_edge", [.. slots.Select(s => s > 0 ? 1L : 0L)], [_length])], ToType(Onnx.TensorProto.Types.DataType.Bool));
        _clipRows = graph.Node("Where", [isEdge, edgeRows, graph.Node("Add", [plan.FrameIndex, graph.Int64Scalar(1)])]);   // [W, L]

        // The frame each row holds: −1 for row 0, then the video's frames, then each clip's edge positions.
        var edgeFrames = graph.Node("Add", [
            graph.Node("Unsqueeze", [plan.Starts, graph.Int64s(1)]),
            graph.Int64s([.. _edges.Select(t => (long)t)])]);
        _rowFrames = graph.Node("Concat", [graph.Int64s(-1), _videoFrames, graph.Node("Reshape", [edgeFrames, graph.Int64s(-1)])], IntAttribute("axis", 0));
        var rowIsFrame = graph.Node("Not", [graph.Node("Less", [_rowFrames, graph.Int64Scalar(0)])]);
        _rowIsReal = graph.Node("And", [rowIsFrame, graph.Node("Less", [_rowFrames, plan.Frames])]);    // [rows]
        _rowMask = graph.Node("Unsqueeze", [graph.Node("Cast", [_rowIsReal], ToType(Onnx.TensorProto.Types.DataType.Float)), graph.Int64s(1)]);
        _rowExists = graph.Node("Unsqueeze", [graph.Node("Cast", [rowIsFrame], ToType(Onnx.TensorProto.Types.DataType.Float)), graph.Int64s(1)]);
    }

    /// <summary>Writes both TCNs and returns their concatenated outputs at the n real positions of each clip.</summary>
    /// <param name="visual">[T, Dv]</param>
    /// <param name="audio">[T, Da]</param>
    /// <returns>X of eq. 3 as [W, n, D]</returns>
    public string Write(string visual, string audio)
    {
        var fused = _graph.Node("Concat", [
            TemporalConvNet(visual, _network.VisualTcn, "visual_tcn"),
            TemporalConvNet(audio, _network.AudioTcn, "audio_tcn")], IntAttribute("axis", 1));          // [rows, D]
        var realRows = _graph.Node("Slice", [_clipRows, _graph.Int64s(0), _graph.Node("Unsqueeze", [_plan.Length, _graph.Int64s(0)]), _graph.Int64s(1)]);
        return _graph.Node("Gather", [fused, realRows], IntAttribute("axis", 0));
    }

    /// <summary>Frames on each side of a position that its TCN output depends on: every convolution's padding, summed.</summary>
    private static int Radius(Modeling.TemporalConvNet tcn) =>
        (int)tcn.Blocks.Sum(block => block.FirstConvolution.padding![0] + block.SecondConvolution.padding![0]);

    /// <summary>
    /// One modality's TCN from its frames [T, F] to [rows, C]. Padding is re-zeroed after every block but the
    /// last, as the module does, so padded frames never leak into real ones; the last block's padded rows are
    /// never read.
    /// </summary>
    private string TemporalConvNet(string frames, Modeling.TemporalConvNet tcn, string name)
    {
        var h = FirstBlock(frames, tcn.Blocks[0], $"{name}.0");
        for (var level = 1; level < tcn.Blocks.Count; level++)
        {
            h = TemporalBlock(_graph.Node("Mul", [h, _rowMask]), tcn.Blocks[level], $"{name}.{level}");
        }
        return h;
    }

    /// <summary>
    /// The first block, from frames [T, F] to relu(conv2(relu(conv1(x))) + skip(x)) as [rows, C], not yet masked.
    /// conv1 and the 1×1 downsample are per-frame products before the taps are shifted: one [T, F]·[F, M·C]
    /// MatMul (M = K taps, plus the downsample) computes them for every frame, and each row sums its taps' products.
    /// </summary>
    private string FirstBlock(string frames, Modeling.TemporalBlock block, string name)
    {
        using var scope = NewDisposeScope();
        var convolution = block.FirstConvolution;
        var weight = convolution.weight!;
        long channels = weight.shape[0], features = weight.shape[1], taps = weight.shape[2];
        var dilation = convolution.dilation[0];
        var padding = convolution.padding![0];
        var projection = weight.permute(1, 2, 0).reshape(features, taps * channels);                        // column block k: tap k
        if (block.Downsample is not null)
        {
            projection = cat([projection, block.Downsample.weight!.squeeze(2).t()], 1);                   // last block: downsample
        }
        var blocks = projection.shape[1] / channels;
        var products = _graph.Node("MatMul", [frames, Weight(projection, $"{name}.frame_projection")]);  // [T, M·C]
        // Frame f's products are row f + p + 1; row 0 and the rows after frame T − 1 are zeros.
        var after = _graph.Node("Add", [_graph.Node("Sub", [_span, _plan.Frames]), _graph.Int64Scalar(padding)]);
        var pads = _graph.Node("Concat", [_graph.Int64s(padding + 1, 0), _graph.Node("Unsqueeze", [after, _graph.Int64s(0)]), _graph.Int64s(0)], IntAttribute("axis", 0));
        var padded = _graph.Node("Pad", [products, pads]);                                                // [span + 2p + 1, M·C]
        var productRows = _graph.Node("Reshape", [padded, _graph.Int64s(-1, channels)]);                    // frame row r, block b: r·M + b
        var bias = Weight(convolution.bias!, $"{name}.conv1.bias");

        // Video rows: tap k of frame f is frame f + k·d − p, row f + k·d + 1 of the padded products.
        var spanVector = _graph.Node("Unsqueeze", [_span, _graph.Int64s(0)]);
        string? sum = null;
        for (var k = 0; k < taps; k++)
        {
            var end = _graph.Node("Concat", [_graph.Node("Add", [spanVector, _graph.Int64s(k * dilation + 1)]), _graph.Int64s((k + 1) * channels)], IntAttribute("axis", 0));
            var tap = _graph.Node("Slice", [padded, _graph.Int64s(k * dilation + 1, k * channels), end, _graph.Int64s(0, 1)]);
            sum = sum is null ? tap : _graph.Node("Add", [sum, tap]);
        }
        var videoRows = _graph.Node("Relu", [_graph.Node("Add", [sum!, bias])]);                             // [span, C]

        // Edge rows: the taps that stay inside the clip and the video, gathered clip by clip and summed.
        var offsets = new long[taps * _edges.Length];
        for (var k = 0; k < taps; k++)
        {
            for (var j = 0; j < _edges.Length; j++)
            {
                var shifted = _edges[j] + k * dilation - padding;
                offsets[k * _edges.Length + j] = shifted >= 0 && shifted < _length ? shifted : OutsideClip;
            }
        }
        var tapFrames = _graph.Node("Add", [
            _graph.Node("Unsqueeze", [_plan.Starts, _graph.Int64s(0, 2)]),
            _graph.Int64Tensor($"{name}.edge_offsets", offsets, [taps, 1, _edges.Length])]);                // [K, W, E]
        var tapProducts = _graph.Node("Add", [
            _graph.Node("Mul", [tapFrames, _graph.Int64Scalar(blocks)]),
            _graph.Int64Tensor($"{name}.edge_blocks", [.. Enumerable.Range(0, (int)taps).Select(k => (padding + 1) * blocks + k)], [taps, 1, 1])]);
        var tapIndex = _graph.Node("Where", [_graph.Node("Less", [tapFrames, _plan.Frames]), tapProducts, _graph.Int64Scalar(0)]);
        var edgeSum = _graph.Node("ReduceSum", [_graph.Node("Gather", [productRows, tapIndex], IntAttribute("axis", 0)), _graph.Int64s(0)], IntAttribute("keepdims", 0));
        var edgeRows = _graph.Node("Reshape", [_graph.Node("Relu", [_graph.Node("Add", [edgeSum, bias])]), _graph.Int64s(-1, channels)]);

        var h = _graph.Node("Concat", [_graph.Floats($"{name}.zero_row", new float[channels], [1, channels]), videoRows, edgeRows], IntAttribute("axis", 0));
        h = _graph.Node("Relu", [Convolution(h, block.SecondConvolution, $"{name}.conv2")]);

        // The skip path at each row's frame; zeros (then the bias) where no frame exists, as the module's input there.
        string skip;
        if (block.Downsample is null)
        {
            var frameRows = _graph.Node("Pad", [frames, _graph.Int64s(1, 0, 0, 0)]);
            var index = _graph.Node("Where", [_rowIsReal, _graph.Node("Add", [_rowFrames, _graph.Int64Scalar(1)]), _graph.Int64Scalar(0)]);
            skip = _graph.Node("Gather", [frameRows, index], IntAttribute("axis", 0));
        }
        else
        {
            var row = _graph.Node("Add", [_graph.Node("Mul", [_rowFrames, _graph.Int64Scalar(blocks)]), _graph.Int64Scalar((padding + 1) * blocks + taps)]);
            var index = _graph.Node("Where", [_rowIsReal, row, _graph.Int64Scalar(0)]);
            skip = _graph.Node("Add", [_graph.Node("Gather", [productRows, index], IntAttribute("axis", 0)), Weight(block.Downsample.bias!, $"{name}.downsample.bias")]);
        }
        return _graph.Node("Relu", [_graph.Node("Add", [h, skip])]);
    }

    /// <summary>A later block, on [rows, C] that is zero on padding and on row 0; the result is not yet masked.</summary>
    private string TemporalBlock(string input, Modeling.TemporalBlock block, string name)
    {
        // Row 0 of relu(conv1) is relu(bias): zero it, since conv2's taps outside the clip read it.
        var h = _graph.Node("Mul", [_graph.Node("Relu", [Convolution(input, block.FirstConvolution, $"{name}.conv1")]), _rowExists]);
        h = _graph.Node("Relu", [Convolution(h, block.SecondConvolution, $"{name}.conv2")]);
        var skip = block.Downsample is null ? input : Convolution(input, block.Downsample, $"{name}.downsample");
        return _graph.Node("Relu", [_graph.Node("Add", [h, skip])]);
    }

    /// <summary>
    /// A "same" Conv1d over all rows as one Gemm: each row's taps are gathered side by side (im2col) and
    /// multiplied by the weights as a [K·Cin, Cout] matrix.
    /// </summary>
    private string Convolution(string input, Conv1d convolution, string name)
    {
        using var scope = NewDisposeScope();
        var weight = convolution.weight!;
        long outChannels = weight.shape[0], inChannels = weight.shape[1], taps = weight.shape[2];
        var columns = input;
        if (taps > 1)
        {
            var index = TapRows(taps, convolution.dilation[0], convolution.padding![0]);
            columns = _graph.Node("Reshape", [_graph.Node("Gather", [input, index], IntAttribute("axis", 0)), _graph.Int64s(-1, taps * inChannels)]);
        }
        var matrix = Weight(weight.permute(2, 1, 0).reshape(taps * inChannels, outChannels), $"{name}.weight_matrix");
        return _graph.Node("Gemm", [columns, matrix, Weight(convolution.bias!, $"{name}.bias")]);
    }

    /// <summary>[rows, K]: the row that tap k of each row reads, shared by all convolutions of the same shape.</summary>
    private string TapRows(long taps, long dilation, long padding)
    {
        if (_tapRows.TryGetValue((taps, dilation, padding), out var existing))
        {
            return existing;
        }
        var shifts = Enumerable.Range(0, (int)taps).Select(k => k * dilation - padding).ToArray();

        // Video rows read the neighbouring video rows, and row 0 past the video's ends.
        var tapFrames = _graph.Node("Add", [_graph.Node("Unsqueeze", [_videoFrames, _graph.Int64s(1)]), _graph.Int64s(shifts)]);   // [span, K]
        var inVideo = _graph.Node("And", [
            _graph.Node("Not", [_graph.Node("Less", [tapFrames, _graph.Int64Scalar(0)])]),
            _graph.Node("Less", [tapFrames, _span])]);
        var videoTaps = _graph.Node("Where", [inVideo, _graph.Node("Add", [tapFrames, _graph.Int64Scalar(1)]), _graph.Int64Scalar(0)]);

        // Edge rows read their own clip's rows (video or edge), and row 0 past the clip's ends: position L of
        // the clip rows padded by one column.
        var positions = new long[_edges.Length * taps];
        for (var j = 0; j < _edges.Length; j++)
        {
            for (var k = 0; k < taps; k++)
            {
                var shifted = _edges[j] + shifts[k];
                positions[j * taps + k] = shifted >= 0 && shifted < _length ? shifted : _length;
            }
        }
        var clipRows = _graph.Node("Pad", [_clipRows, _graph.Int64s(0, 0, 0, 1)]);                             // [W, L + 1]
        var edgeTaps = _graph.Node(
            "Gather", [clipRows, _graph.Int64Tensor($"tcn.taps_k{taps}_d{dilation}", positions, [_edges.Length, taps])], IntAttribute("axis", 1));
        var index = _graph.Node("Concat", [
            _graph.Int64Tensor($"tcn.row0_k{taps}", new long[taps], [1, taps]),
            videoTaps,
            _graph.Node("Reshape", [edgeTaps, _graph.Int64s(-1, taps)])], IntAttribute("axis", 0));
        _tapRows.Add((taps, dilation, padding), index);
        return index;
    }

    private static Onnx.AttributeProto ToType(Onnx.TensorProto.Types.DataType type) => IntAttribute("to", (int)type);

    private string Weight(Tensor tensor, string name)
    {
        using var values = tensor.detach().cpu().contiguous().data<float>();
        return _graph.Floats(name, values.ToArray(), tensor.shape);
    }
}

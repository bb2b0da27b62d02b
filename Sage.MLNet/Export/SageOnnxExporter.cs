using System.Text.Json;
using Google.Protobuf;
using Onnx;
using Sage.MLNet.Modeling;
using static Sage.MLNet.Export.OnnxGraphBuilder;

namespace Sage.MLNet.Export;

/// <summary>
/// Exports a trained <see cref="SageNetwork"/> as one ONNX model that predicts a whole video of any length:
/// it cuts the clips of <see cref="Data.ClipPlan"/> from the runtime shape, runs the network on all of them
/// as one batch and averages overlapping clips per frame, exactly as <see cref="SageNetworkPredictor"/>.
/// </summary>
internal static class SageOnnxExporter
{
    /// <summary>ONNX IR version 8 is the one that goes with opset 17; older runtimes refuse newer IR versions.</summary>
    private const long IrVersion = 8;

    /// <summary>Opset 17 is the first with LayerNormalization; ScatterElements has had reduction="add" since 16.</summary>
    private const long Opset = 17;

    private const string FrameDim = "T";
    private const string AudioFrameDim = "Ta";
    private const string ConfigMetadataKey = "sage.config";

    /// <summary>Per frame: valence, arousal, reliability, and 1 to count the clips that cover the frame.</summary>
    private const long MergedColumns = 4;

    /// <summary>Returns the serialised ModelProto.</summary>
    public static byte[] Export(SageNetwork network, SageOnnxNames names)
    {
        var config = network.Config;
        var graph = new OnnxGraphBuilder("sage");
        graph.AddFloatInput(names.VisualFeatures, Dim(1), Dim(FrameDim), Dim(config.VisualFeatureSize));
        graph.AddFloatInput(names.AudioFeatures, Dim(1), Dim(AudioFrameDim), Dim(config.AudioFeatureSize));
        var clips = CutClips(graph, names, config);
        var (prediction, reliability) = new SageOnnxClipGraph(graph, network).Write(clips.Visual, clips.Audio, clips.Mask, clips.Valid);
        MergeClips(graph, clips, prediction, reliability, names);
        foreach (var output in new[] { names.PredictedValence, names.PredictedArousal, names.Reliability })
        {
            graph.AddFloatOutput(output, Dim(1), Dim(FrameDim));
        }
        graph.Graph.DocString = "SAGE: per-frame valence, arousal and fusion reliability of one video, from its visual and audio features.";
        return CreateModel(graph.Graph, config).ToByteArray();
    }

    /// <summary>
    /// Clip w covers frames start_w + j, j &lt; L, with starts = [0, S, 2S, ... &lt; last] ++ [last] and
    /// last = max(T − L, 0): Range's end is exclusive, so the last start never repeats.
    /// </summary>
    private static Clips CutClips(OnnxGraphBuilder graph, SageOnnxNames names, SageNetworkConfig config)
    {
        var shape = graph.Node("Shape", [names.VisualFeatures]);
        var frames = graph.Node("Gather", [shape, graph.Int64Scalar(1)]);                           // T, a scalar
        var last = graph.Node("Max", [graph.Node("Sub", [frames, graph.Int64Scalar(config.WindowLength)]), graph.Int64Scalar(0)]);
        var strided = graph.Node("Range", [graph.Int64Scalar(0), last, graph.Int64Scalar(config.WindowStride)]);
        var starts = graph.Node("Concat", [strided, graph.Node("Unsqueeze", [last, graph.Int64s(0)])], IntAttribute("axis", 0));
        var offsets = graph.Int64s([.. Enumerable.Range(0, config.WindowLength).Select(j => (long)j)]);
        var indices = graph.Node("Add", [graph.Node("Unsqueeze", [starts, graph.Int64s(1)]), offsets]);   // [W, L]
        var valid = graph.Node("Less", [indices, frames]);
        var mask = graph.Node("Cast", [valid], IntAttribute("to", (int)TensorProto.Types.DataType.Float));
        // A video shorter than a clip reads past its end: clamp to a real frame, then zero it with the mask.
        var clamped = graph.Node("Min", [indices, graph.Node("Sub", [frames, graph.Int64Scalar(1)])]);
        var frameMask = graph.Node("Unsqueeze", [mask, graph.Int64s(2)]);                           // [W, L, 1]
        return new Clips(
            frames,
            clamped,
            valid,
            mask,
            frameMask,
            GatherClips(graph, names.VisualFeatures, clamped, frameMask),
            GatherClips(graph, names.AudioFeatures, clamped, frameMask));
    }

    /// <summary>[1, T, F] to [W, L, F], zero on padding. Audio uses the visual frame count, as the predictor does.</summary>
    private static string GatherClips(OnnxGraphBuilder graph, string features, string indices, string frameMask)
    {
        var frames = graph.Node("Squeeze", [features, graph.Int64s(0)]);
        return graph.Node("Mul", [graph.Node("Gather", [frames, indices], IntAttribute("axis", 0)), frameMask]);
    }

    /// <summary>
    /// Sums each frame's contributions over the clips that cover it and divides by their number. Padded
    /// frames add zeros at a clamped (real) index, so they change neither the sums nor the counts.
    /// </summary>
    private static void MergeClips(OnnxGraphBuilder graph, Clips clips, string prediction, string reliability, SageOnnxNames names)
    {
        var contributions = graph.Node("Concat", [prediction, reliability, clips.FrameMask], IntAttribute("axis", 2));
        var updates = graph.Node("Reshape", [graph.Node("Mul", [contributions, clips.FrameMask]), graph.Int64s(-1, MergedColumns)]);
        // ScatterElements takes one index per updated element. ScatterND is avoided on purpose: ONNX Runtime
        // applies its updates in parallel, which races on the frames that several clips cover.
        var rows = graph.Node("Reshape", [clips.Indices, graph.Int64s(-1, 1)]);
        var targets = graph.Node("Expand", [rows, graph.Int64s(1, MergedColumns)]);
        var sumShape = graph.Node("Concat", [graph.Node("Unsqueeze", [clips.Frames, graph.Int64s(0)]), graph.Int64s(MergedColumns)], IntAttribute("axis", 0));
        var zeros = graph.Node("ConstantOfShape", [sumShape], FloatTensorAttribute("value", 0f));
        var sums = graph.Node(
            "ScatterElements", [zeros, targets, updates], IntAttribute("axis", 0), StringAttribute("reduction", "add"));  // [T, 4]
        var totals = graph.Nodes("Split", [sums, graph.Int64s(MergedColumns - 1, 1)], 2, IntAttribute("axis", 1));
        var means = graph.Node("Div", [totals[0], totals[1]]);                                      // [T, 3]
        // [3, T] split on the first axis gives the three [1, T] outputs that ML.NET reads as variable-length vectors.
        graph.NamedNode(
            "Split",
            [graph.Node("Transpose", [means], IntsAttribute("perm", [1, 0])), graph.Int64s(1, 1, 1)],
            [names.PredictedValence, names.PredictedArousal, names.Reliability],
            IntAttribute("axis", 0));
    }

    private static ModelProto CreateModel(GraphProto graph, SageNetworkConfig config)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Sage.MLNet",
            ProducerVersion = typeof(SageOnnxExporter).Assembly.GetName().Version?.ToString() ?? string.Empty,
            DocString = "SAGE (stage-adaptive reliability modelling) for continuous valence-arousal estimation; "
                + $"clips of {config.WindowLength} frames every {config.WindowStride} frames, averaged per frame.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = ConfigMetadataKey, Value = JsonSerializer.Serialize(config) });
        return model;
    }

    /// <summary>The graph values that describe the batch of clips.</summary>
    /// <param name="Frames">T, an int64 scalar</param>
    /// <param name="Indices">[W, L] int64 frame of each clip position, clamped to T − 1</param>
    /// <param name="Valid">[W, L] bool, true where the frame exists</param>
    /// <param name="Mask">[W, L] float form of <paramref name="Valid"/></param>
    /// <param name="FrameMask">[W, L, 1] float form of <paramref name="Valid"/></param>
    /// <param name="Visual">[W, L, Dv] clip features, zero on padding</param>
    /// <param name="Audio">[W, L, Da] clip features, zero on padding</param>
    private sealed record Clips(string Frames, string Indices, string Valid, string Mask, string FrameMask, string Visual, string Audio);
}

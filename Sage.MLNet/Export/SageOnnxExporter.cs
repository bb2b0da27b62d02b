using System.Text.Json;
using Google.Protobuf;
using Onnx;
using Sage.MLNet.Modeling;
using static Sage.MLNet.Export.OnnxGraphBuilder;

namespace Sage.MLNet.Export;

/// <summary>
/// Exports a trained <see cref="SageNetwork"/> as one ONNX model that predicts a whole video of any length:
/// it cuts the clips of <see cref="Data.ClipPlan"/> from the runtime shape, runs the network on all of them
/// as one batch and averages overlapping clips per frame, as <see cref="SageNetworkPredictor"/> does (within
/// float rounding). Where clips overlap, the TCNs compute shared frames once (<see cref="SageOnnxTcnGraph"/>).
/// Several networks (the folds of cross-validation) can go into one graph as a weighted combination.
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

    private const string MembersMetadataKey = "sage.members";

    /// <summary>
    /// Returns how to score a graph this class exported in windows (its clip plan, feature sizes and input and output names),
    /// or null when <paramref name="model"/> is not such a graph.
    /// </summary>
    public static SageWindowedGraph? ReadWindowing(ReadOnlySpan<byte> model)
    {
        try
        {
            var proto = ModelProto.Parser.ParseFrom(model);
            var json = proto.MetadataProps.FirstOrDefault(p => p.Key == ConfigMetadataKey)?.Value;
            if (json is null || proto.Graph.Input.Count != 2 || JsonSerializer.Deserialize<SageNetworkConfig>(json) is not { } config)
            {
                return null;
            }
            return new SageWindowedGraph(
                new SageScoringWindows(config.WindowLength, config.WindowStride, config.VisualFeatureSize, config.AudioFeatureSize),
                proto.Graph.Input[0].Name, proto.Graph.Input[1].Name, [.. proto.Graph.Output.Select(o => o.Name)]);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Returns the serialised ModelProto of one network.</summary>
    public static byte[] Export(SageNetwork network, SageOnnxNames names) => Export([new SageOnnxMember(network, 1, 1)], names);

    /// <summary>
    /// Returns the serialised ModelProto of a weighted combination of networks of one configuration: per clip,
    /// valence is Σ wᵥ·valence and arousal Σ wₐ·arousal over the members, and reliability is the plain mean of the
    /// reliabilities of the members that contribute (a non-zero weight on either target). The clips are cut once
    /// and shared. Members with both weights 0 are left out of the graph.
    /// </summary>
    /// <exception cref="ArgumentException">No member contributes, or the networks differ in configuration.</exception>
    public static byte[] Export(IReadOnlyList<SageOnnxMember> members, SageOnnxNames names)
    {
        var contributors = members.Where(m => m.Contributes).ToArray();
        if (contributors.Length == 0)
        {
            throw new ArgumentException("At least one network needs a non-zero valence or arousal weight", nameof(members));
        }
        var config = contributors[0].Network.Config;
        var other = contributors.FirstOrDefault(m => m.Network.Config != config);
        if (other is not null)
        {
            throw new ArgumentException($"All networks of a combination need one configuration: {config} and {other.Network.Config}", nameof(members));
        }
        var graph = new OnnxGraphBuilder("sage");
        graph.AddFloatInput(names.VisualFeatures, Dim(1), Dim(FrameDim), Dim(config.VisualFeatureSize));
        graph.AddFloatInput(names.AudioFeatures, Dim(1), Dim(AudioFrameDim), Dim(config.AudioFeatureSize));
        var plan = CutClips(graph, names, config);
        // Audio uses the visual frame count, as the predictor does: frames past it are cut off.
        var audioFrames = graph.Node("Slice", [names.AudioFeatures, graph.Int64s(0), graph.Node("Unsqueeze", [plan.Frames, graph.Int64s(0)]), graph.Int64s(1)]);
        var visual = graph.Node("Squeeze", [names.VisualFeatures, graph.Int64s(0)]);
        var audio = graph.Node("Squeeze", [audioFrames, graph.Int64s(0)]);
        var outputs = contributors
            .Select(member => (member, output: new SageOnnxClipGraph(graph, member.Network, plan)
                .Write(visual, audio, contributors.Length == 1 ? SageOnnxNames.TcnOutput : null)))
            .ToArray();
        var (prediction, reliability) = outputs is [var (only, single)] && only.ValenceWeight == 1 && only.ArousalWeight == 1
            ? single
            : Combine(graph, outputs);
        var outputNames = names.Outputs(config);
        MergeClips(graph, plan, prediction, reliability, outputNames);
        foreach (var output in outputNames)
        {
            graph.AddFloatOutput(output, Dim(1), Dim(FrameDim));
        }
        graph.Graph.DocString = $"SAGE ({config.Fusion} fusion): per-frame valence, arousal and fusion reliability of one video, from its visual and audio features.";
        var model = CreateModel(graph.Graph, config);
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = MembersMetadataKey,
            Value = JsonSerializer.Serialize(members.Select(m => new[] { m.ValenceWeight, m.ArousalWeight })),
        });
        return model.ToByteArray();
    }

    /// <summary>
    /// Weights each member's [W·n, 2] prediction by its [2] (valence, arousal) weights and sums them; averages the
    /// members' [W·n, k] reliabilities. A weight of 1 and of 0 are exact, so a one-hot selection reproduces the chosen network.
    /// </summary>
    private static (string Prediction, string Reliability) Combine(
        OnnxGraphBuilder graph, IReadOnlyList<(SageOnnxMember Member, (string Prediction, string Reliability) Output)> outputs)
    {
        var weighted = outputs
            .Select(o => graph.Node("Mul", [o.Output.Prediction, graph.Floats("member_weights", [o.Member.ValenceWeight, o.Member.ArousalWeight], [2])]))
            .ToArray();
        var prediction = graph.Node("Sum", weighted);
        var reliabilitySum = graph.Node("Sum", [.. outputs.Select(o => o.Output.Reliability)]);
        var reliability = graph.Node("Div", [reliabilitySum, graph.FloatScalar("member_count", outputs.Count)]);
        return (prediction, reliability);
    }

    /// <summary>
    /// Clip w covers frames start_w + j, j &lt; L, with starts = [0, S, 2S, ... &lt; last] ++ [last] and
    /// last = max(T − L, 0): Range's end is exclusive, so the last start never repeats.
    /// </summary>
    private static SageOnnxClipPlan CutClips(OnnxGraphBuilder graph, SageOnnxNames names, SageNetworkConfig config)
    {
        var shape = graph.Node("Shape", [names.VisualFeatures]);
        var frames = graph.Node("Gather", [shape, graph.Int64Scalar(1)]);                           // T, a scalar
        var length = graph.Int64Scalar(config.WindowLength);
        var last = graph.Node("Max", [graph.Node("Sub", [frames, length]), graph.Int64Scalar(0)]);
        var strided = graph.Node("Range", [graph.Int64Scalar(0), last, graph.Int64Scalar(config.WindowStride)]);
        var starts = graph.Node("Concat", [strided, graph.Node("Unsqueeze", [last, graph.Int64s(0)])], IntAttribute("axis", 0));
        var offsets = graph.Int64s([.. Enumerable.Range(0, config.WindowLength).Select(j => (long)j)]);
        var frameIndex = graph.Node("Add", [graph.Node("Unsqueeze", [starts, graph.Int64s(1)]), offsets]);   // [W, L]
        return new SageOnnxClipPlan(frames, starts, frameIndex, graph.Node("Min", [frames, length]));
    }

    /// <summary>
    /// Sums each frame's contributions over the clips that cover it and divides by their number. The
    /// prediction ([W·n, 2]) and reliability ([W·n, k], k = outputs − 2) cover the n real frames of each clip only.
    /// </summary>
    private static void MergeClips(OnnxGraphBuilder graph, SageOnnxClipPlan plan, string prediction, string reliability, string[] outputs)
    {
        // Per frame: the outputs' values, and 1 to count the clips that cover the frame.
        long mergedColumns = outputs.Length + 1;
        var count = graph.Node("ConstantOfShape", [
            graph.Node("Concat", [graph.Node("Slice", [graph.Node("Shape", [reliability]), graph.Int64s(0), graph.Int64s(1)]), graph.Int64s(1)], IntAttribute("axis", 0))],
            FloatTensorAttribute("value", 1f));
        var updates = graph.Node("Concat", [prediction, reliability, count], IntAttribute("axis", 1));      // [W·n, outputs + 1]
        // ScatterElements takes one index per updated element. ScatterND is avoided on purpose: ONNX Runtime
        // applies its updates in parallel, which races on the frames that several clips cover.
        var realFrames = graph.Node("Slice", [plan.FrameIndex, graph.Int64s(0), graph.Node("Unsqueeze", [plan.Length, graph.Int64s(0)]), graph.Int64s(1)]);
        var rows = graph.Node("Reshape", [realFrames, graph.Int64s(-1, 1)]);
        var targets = graph.Node("Expand", [rows, graph.Int64s(1, mergedColumns)]);
        var sumShape = graph.Node("Concat", [graph.Node("Unsqueeze", [plan.Frames, graph.Int64s(0)]), graph.Int64s(mergedColumns)], IntAttribute("axis", 0));
        var zeros = graph.Node("ConstantOfShape", [sumShape], FloatTensorAttribute("value", 0f));
        var sums = graph.Node(
            "ScatterElements", [zeros, targets, updates], IntAttribute("axis", 0), StringAttribute("reduction", "add"));  // [T, outputs + 1]
        var totals = graph.Nodes("Split", [sums, graph.Int64s(outputs.Length, 1)], 2, IntAttribute("axis", 1));
        var means = graph.Node("Div", [totals[0], totals[1]]);                                      // [T, outputs]
        // [outputs, T] split on the first axis gives the [1, T] outputs that ML.NET reads as variable-length vectors.
        graph.NamedNode(
            "Split",
            [graph.Node("Transpose", [means], IntsAttribute("perm", [1, 0])), graph.Int64s([.. outputs.Select(_ => 1L)])],
            outputs,
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
}

using System.Runtime.InteropServices;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Sage.MLNet.Export;
using Sage.MLNet.Modeling;
using static Sage.MLNet.Export.OnnxGraphBuilder;

namespace Sage.MLNet.Live;

/// <summary>
/// The saved network, cut in two for a live stream: each modality's TCN, run on a short run of frames so that every
/// frame's TCN output is computed about once, and the part that depends on the window (fusion, Transformer, head), run
/// on the TCN outputs of the whole window. Both are ONNX Runtime sessions made from the graph saved in the model.
/// </summary>
/// <remarks>
/// <para>The per-frame TCN is a graph of plain Conv nodes written here from the saved graph's TCN weights (the exporter
/// lays them out as Gemm matrices; <see cref="SageOnnxTcnGraph"/>). A convolution with zero padding on a run of frames
/// computes what the offline clip computes at the same positions when the run's ends are the clip's ends, and what the whole
/// video computes at positions <see cref="Radius"/> or more frames from the run's ends.</para>
/// <para>The window part is the saved graph with <see cref="SageOnnxNames.TcnOutput"/> made an input and what only fed it
/// removed. A graph without that value (saved before it was named, or a combination of several networks) runs whole on
/// every window instead (<see cref="PerFrameTcn"/> false).</para>
/// <para>Sessions run on the CPU with <c>threads</c> intra-op threads that sleep rather than spin between runs: a live
/// stream runs small graphs often, and spinning threads would take the cores the face encoder needs.</para>
/// </remarks>
internal sealed class LiveNetwork : IDisposable
{
    private const string FramesInput = "frames_visual";
    private const string AudioInput = "frames_audio";
    private const string TcnGraphOutput = "tcn";

    private readonly InferenceSession? _tcn;
    private readonly InferenceSession _window;
    private readonly string[] _windowInputs;
    private readonly string[] _outputs;
    private readonly RunOptions _run = new();
    private readonly float[] _shapeOnly;

    /// <param name="model">The saved network graph.</param>
    /// <param name="threads">Intra-op threads of each session.</param>
    /// <param name="perFrameTcn">Whether to split the graph where it can (false runs it whole, as for a graph that cannot be split).</param>
    public LiveNetwork(ModelProto model, int threads, bool perFrameTcn = true)
    {
        Config = JsonSerializer.Deserialize<SageNetworkConfig>(model.MetadataProps.Single(p => p.Key == "sage.config").Value)
            ?? throw new InvalidDataException("The model's 'sage.config' metadata is empty");
        var graph = model.Graph;
        var visual = graph.Input[0].Name;
        var audio = graph.Input[1].Name;
        _outputs = [.. graph.Output.Take(3).Select(o => o.Name)];
        Radius = Enumerable.Range(0, Config.TcnLevels).Sum(level => 2 * ((1 << level) * (Config.TcnKernelSize - 1) / 2));
        _shapeOnly = new float[Config.WindowLength * Config.VisualFeatureSize];
        using var options = Options(threads);
        if (perFrameTcn && graph.Node.Any(n => n.Output.Contains(SageOnnxNames.TcnOutput)))
        {
            _tcn = new InferenceSession(TcnModel(model).ToByteArray(), options);
            _window = new InferenceSession(WindowModel(model, Config.FusedSize).ToByteArray(), options);
            _windowInputs = [visual, SageOnnxNames.TcnOutput];
        }
        else
        {
            _window = new InferenceSession(model.ToByteArray(), options);
            _windowInputs = [visual, audio];
        }
    }

    public SageNetworkConfig Config { get; }

    /// <summary>Whether each frame's TCN output is computed apart from the window (false: the whole graph runs on each window).</summary>
    public bool PerFrameTcn => _tcn is not null;

    /// <summary>Frames on each side of a frame that its TCN output depends on: every convolution's padding, summed.</summary>
    public int Radius { get; }

    /// <summary>D: both TCNs' outputs side by side.</summary>
    public int FusedSize => Config.FusedSize;

    /// <summary>Runs both TCNs on <paramref name="frames"/> consecutive frames, zero-padded at both ends: visual [n, Dv] and audio [n, Da] to X [n, D].</summary>
    public void RunTcn(float[] visual, float[] audio, int frames, float[] output)
    {
        using var v = Tensor(visual, frames, Config.VisualFeatureSize);
        using var a = Tensor(audio, frames, Config.AudioFeatureSize);
        using var results = _tcn!.Run(_run, [FramesInput, AudioInput], [v, a], [TcnGraphOutput]);
        results[0].GetTensorDataAsSpan<float>()[..(frames * FusedSize)].CopyTo(output);
    }

    /// <summary>Runs the window part on X [n, D] of n consecutive frames; writes n valences, arousals and reliabilities.</summary>
    public void RunWindow(float[] x, int frames, float[] valence, float[] arousal, float[] reliability)
    {
        // The window part reads only the visual input's shape (the clip plan); its values are never used.
        using var shape = Tensor(_shapeOnly, frames, Config.VisualFeatureSize);
        using var tcn = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, x.AsMemory(0, frames * FusedSize), [1, frames, FusedSize]);
        Run([shape, tcn], frames, valence, arousal, reliability);
    }

    /// <summary>Runs the whole saved graph on visual [n, Dv] and audio [n, Da] (a graph without <see cref="SageOnnxNames.TcnOutput"/>).</summary>
    public void RunWhole(float[] visual, float[] audio, int frames, float[] valence, float[] arousal, float[] reliability)
    {
        using var v = Tensor(visual, frames, Config.VisualFeatureSize);
        using var a = Tensor(audio, frames, Config.AudioFeatureSize);
        Run([v, a], frames, valence, arousal, reliability);
    }

    public void Dispose()
    {
        _tcn?.Dispose();
        _window.Dispose();
        _run.Dispose();
    }

    private void Run(OrtValue[] inputs, int frames, float[] valence, float[] arousal, float[] reliability)
    {
        using var results = _window.Run(_run, _windowInputs, inputs, _outputs);
        results[0].GetTensorDataAsSpan<float>()[..frames].CopyTo(valence);
        results[1].GetTensorDataAsSpan<float>()[..frames].CopyTo(arousal);
        results[2].GetTensorDataAsSpan<float>()[..frames].CopyTo(reliability);
    }

    private static OrtValue Tensor(float[] values, int frames, int size) =>
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, values.AsMemory(0, frames * size), [1, frames, size]);

    private static SessionOptions Options(int threads)
    {
        var options = new SessionOptions { IntraOpNumThreads = threads, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /// <summary>The saved graph from <see cref="SageOnnxNames.TcnOutput"/> on, that value now an input, less every node and initializer only the TCNs used.</summary>
    private static ModelProto WindowModel(ModelProto saved, int fusedSize)
    {
        var model = saved.Clone();
        var graph = model.Graph;
        var producer = graph.Node.Single(n => n.Output.Contains(SageOnnxNames.TcnOutput));
        graph.Node.Remove(producer);
        var input = new ValueInfoProto { Name = SageOnnxNames.TcnOutput, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } };
        input.Type.TensorType.Shape = new TensorShapeProto();
        input.Type.TensorType.Shape.Dim.Add([Dim("W"), Dim("n"), Dim(fusedSize)]);
        graph.Input.Add(input);

        // Keep what the outputs need, walking the nodes (topologically sorted) from the last.
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name));
        var kept = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Input.Where(name => name.Length > 0));
            }
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        var inputs = graph.Input.Where(v => needed.Contains(v.Name)).ToList();
        graph.Input.Clear();
        graph.Input.AddRange(inputs);
        return model;
    }

    /// <summary>Both TCNs as Conv nodes on [1, n, F] frames, their outputs side by side as [1, n, D], from the saved graph's weights.</summary>
    private ModelProto TcnModel(ModelProto saved)
    {
        var weights = saved.Graph.Initializer.ToDictionary(t => t.Name);
        var builder = new OnnxGraphBuilder("sage_live_tcn");
        builder.AddFloatInput(FramesInput, Dim(1), Dim("n"), Dim(Config.VisualFeatureSize));
        builder.AddFloatInput(AudioInput, Dim(1), Dim("n"), Dim(Config.AudioFeatureSize));
        var visual = Tcn(builder, weights, builder.Node("Transpose", [FramesInput], IntsAttribute("perm", [0, 2, 1])), Config.VisualFeatureSize, "visual_tcn");
        var audio = Tcn(builder, weights, builder.Node("Transpose", [AudioInput], IntsAttribute("perm", [0, 2, 1])), Config.AudioFeatureSize, "audio_tcn");
        var both = builder.Node("Concat", [visual, audio], IntAttribute("axis", 1));                                          // [1, D, n]
        builder.NamedNode("Transpose", [both], [TcnGraphOutput], IntsAttribute("perm", [0, 2, 1]));
        builder.AddFloatOutput(TcnGraphOutput, Dim(1), Dim("n"), Dim(FusedSize));
        var model = new ModelProto { IrVersion = saved.IrVersion, ProducerName = "Sage.MLNet live", Graph = builder.Graph };
        model.OpsetImport.AddRange(saved.OpsetImport);
        return model;
    }

    /// <summary>One modality's TCN on [1, F, n]: residual blocks of two dilated "same" convolutions, as <see cref="TemporalBlock"/>.</summary>
    private string Tcn(OnnxGraphBuilder builder, Dictionary<string, TensorProto> weights, string x, int features, string name)
    {
        int channels = Config.TcnChannels, taps = Config.TcnKernelSize;
        for (var level = 0; level < Config.TcnLevels; level++)
        {
            var dilation = 1 << level;
            var padding = dilation * (taps - 1) / 2;
            var block = $"{name}.{level}";
            var inChannels = level == 0 ? features : channels;
            string conv1, skip;
            if (level == 0)
            {
                // The first block's conv1 and downsample are one [F, M·C] matrix: column block k is tap k, block K the downsample.
                var projection = Floats(weights, $"{block}.frame_projection");
                var blocks = projection.Length / (features * channels);
                var w1 = new float[channels * features * taps];
                for (var f = 0; f < features; f++)
                {
                    for (var k = 0; k < taps; k++)
                    {
                        for (var c = 0; c < channels; c++)
                        {
                            w1[(c * features + f) * taps + k] = projection[f * blocks * channels + k * channels + c];
                        }
                    }
                }
                conv1 = Conv(builder, x, w1, Floats(weights, $"{block}.conv1.bias"), [channels, features, taps], dilation, padding);
                if (blocks > taps)
                {
                    var down = new float[channels * features];
                    for (var f = 0; f < features; f++)
                    {
                        for (var c = 0; c < channels; c++)
                        {
                            down[c * features + f] = projection[f * blocks * channels + taps * channels + c];
                        }
                    }
                    skip = Conv(builder, x, down, Floats(weights, $"{block}.downsample.bias"), [channels, features, 1], 1, 0);
                }
                else
                {
                    skip = x;
                }
            }
            else
            {
                conv1 = Conv(builder, x, Kernel(weights, $"{block}.conv1", inChannels, channels, taps), Floats(weights, $"{block}.conv1.bias"), [channels, inChannels, taps], dilation, padding);
                skip = weights.ContainsKey($"{block}.downsample.weight_matrix")
                    ? Conv(builder, x, Kernel(weights, $"{block}.downsample", inChannels, channels, 1), Floats(weights, $"{block}.downsample.bias"), [channels, inChannels, 1], 1, 0)
                    : x;
            }
            var h = builder.Node("Relu", [conv1]);
            h = builder.Node("Relu", [Conv(builder, h, Kernel(weights, $"{block}.conv2", channels, channels, taps), Floats(weights, $"{block}.conv2.bias"), [channels, channels, taps], dilation, padding)]);
            x = builder.Node("Relu", [builder.Node("Add", [h, skip])]);
        }
        return x;
    }

    /// <summary>A Conv1d's [Cout, Cin, K] weight from the exporter's [K·Cin, Cout] matrix.</summary>
    private static float[] Kernel(Dictionary<string, TensorProto> weights, string name, int inChannels, int outChannels, int taps)
    {
        var matrix = Floats(weights, $"{name}.weight_matrix");
        var kernel = new float[outChannels * inChannels * taps];
        for (var k = 0; k < taps; k++)
        {
            for (var i = 0; i < inChannels; i++)
            {
                for (var o = 0; o < outChannels; o++)
                {
                    kernel[(o * inChannels + i) * taps + k] = matrix[(k * inChannels + i) * outChannels + o];
                }
            }
        }
        return kernel;
    }

    private static string Conv(OnnxGraphBuilder builder, string x, float[] weight, float[] bias, long[] shape, int dilation, int padding) =>
        builder.Node("Conv", [x, builder.Floats("weight", weight, shape), builder.Floats("bias", bias, [shape[0]])],
            IntsAttribute("dilations", [dilation]), IntsAttribute("pads", [padding, padding]), IntsAttribute("kernel_shape", [shape[2]]));

    private static float[] Floats(Dictionary<string, TensorProto> weights, string name)
    {
        if (!weights.TryGetValue(name, out var tensor))
        {
            throw new InvalidDataException($"The model's network graph has no weight '{name}'; it was not written by this library's exporter");
        }
        return tensor.FloatData.Count > 0 ? [.. tensor.FloatData] : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }
}

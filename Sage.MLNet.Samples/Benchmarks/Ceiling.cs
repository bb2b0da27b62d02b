using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Sage.MLNet.Export;
using Sage.MLNet.Native;
using TorchSharp;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The FP32 ceiling of this machine as each runtime reaches it right now: GFLOP/s of a large single-precision matrix
/// product (2 × N³ FLOP) through TorchSharp and through ONNX Runtime. Turbo, the BLAS and load from other processes all
/// move it, so a share of it means more than a share of a peak computed from the nominal clock.
/// </summary>
internal sealed class Ceiling : IDisposable
{
    private const int N = 1536;        // 7.2 GFLOP a product: long enough to time, short enough to repeat in every round
    private const int Repeats = 3;

    private torch.Tensor? _a, _b;
    private readonly InferenceSession _session;
    private readonly OrtValue _input;
    private readonly float[] _values;

    /// <param name="onnxThreads">Intra-op threads of the ONNX Runtime session (0: its default, as ML.NET leaves it).</param>
    public Ceiling(int onnxThreads)
    {
        var random = new Random(3);
        _values = [.. Enumerable.Range(0, N * N).Select(_ => random.NextSingle() - 0.5f)];
        var graph = new OnnxGraphBuilder("sgemm");
        graph.AddFloatInput("a", OnnxGraphBuilder.Dim(N), OnnxGraphBuilder.Dim(N));
        var b = graph.Floats("b", _values, [N, N]);
        graph.NamedNode("MatMul", ["a", b], ["c"]);
        graph.AddFloatOutput("c", OnnxGraphBuilder.Dim(N), OnnxGraphBuilder.Dim(N));
        var model = new ModelProto { IrVersion = 8, Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        using var options = new SessionOptions { IntraOpNumThreads = onnxThreads };
        _session = new InferenceSession(model.ToByteArray(), options);
        _input = OrtValue.CreateTensorValueFromMemory(_values, [N, N]);
        OnnxGflops();       // warm-up: thread pool, packing buffers
    }

    /// <summary>Returns the best GFLOP/s of a few N × N products through TorchSharp (its BLAS, its threads).</summary>
    public double TorchGflops()
    {
        if (_a is null)
        {
            TorchSharpRuntime.EnsureLoaded();
            _a = torch.tensor(_values, [N, N]);
            _b = torch.tensor(_values, [N, N]).t().contiguous();
            torch.mm(_a, _b).Dispose();     // warm-up
        }
        return Best(() =>
        {
            using var product = torch.mm(_a, _b!);
        });
    }

    /// <summary>Returns the best GFLOP/s of a few N × N products through an ONNX Runtime MatMul.</summary>
    public double OnnxGflops() => Best(() =>
    {
        using var runOptions = new RunOptions();
        _session.Run(runOptions, ["a"], [_input], ["c"]).Dispose();
    });

    public void Dispose()
    {
        _a?.Dispose();
        _b?.Dispose();
        _input.Dispose();
        _session.Dispose();
    }

    private static double Best(Action product) =>
        Enumerable.Range(0, Repeats).Max(_ => 2.0 * N * N * N / Timed.Seconds(product) / 1e9);
}

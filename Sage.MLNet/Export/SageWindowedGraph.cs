using Microsoft.ML;

namespace Sage.MLNet.Export;

/// <summary>What scoring an exported SAGE graph in windows needs to know of it, read from the graph itself.</summary>
/// <param name="Windows">The clip plan and feature sizes.</param>
/// <param name="Visual">The visual input's name.</param>
/// <param name="Audio">The audio input's name.</param>
/// <param name="Outputs">The per-frame outputs' names.</param>
internal sealed record SageWindowedGraph(SageScoringWindows Windows, string Visual, string Audio, IReadOnlyList<string> Outputs)
{
    /// <summary>
    /// Where ML.NET's model zip keeps the graph of an OnnxTransformer saved by <c>mlContext.Model.Save</c> as the whole model:
    /// an int32 length, then the ModelProto.
    /// </summary>
    public const string ModelZipEntry = "TransformerChain/OnnxModel";

    /// <summary>Returns the graph of a model zip's entry <see cref="ModelZipEntry"/> (null when the bytes are not an exported SAGE graph).</summary>
    public static SageWindowedGraph? FromModelZipEntry(byte[] entry) =>
        entry.Length > 4 && BitConverter.ToInt32(entry, 0) == entry.Length - 4 ? SageOnnxExporter.ReadWindowing(entry.AsSpan(4)) : null;

    /// <summary>Returns <paramref name="onnx"/> served window by window; the result owns it.</summary>
    /// <param name="onnx">The OnnxTransformer serving the graph.</param>
    /// <param name="graph">The graph's bytes, for windows through a CPU session of the scorer's own whose arena shrinks every 8th run; null runs them through <paramref name="onnx"/>.</param>
    public SageWindowedScorer Serve(ITransformer onnx, byte[]? graph = null) => new(onnx, Windows, Visual, Audio, Outputs, graph);
}

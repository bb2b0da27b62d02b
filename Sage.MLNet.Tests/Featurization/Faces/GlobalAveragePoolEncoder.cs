using Google.Protobuf;
using Onnx;
using Sage.MLNet.Export;

namespace Sage.MLNet.Tests.Featurization.Faces;

/// <summary>A tiny ONNX image encoder, [N, 3, H, W] → [N, 3] channel means, whose features a test can compute by hand.</summary>
internal static class GlobalAveragePoolEncoder
{
    public const string OutputName = "embedding";

    public static void Write(string path)
    {
        var builder = new OnnxGraphBuilder("gap");
        builder.AddFloatInput("images", OnnxGraphBuilder.Dim("N"), OnnxGraphBuilder.Dim(3), OnnxGraphBuilder.Dim("H"), OnnxGraphBuilder.Dim("W"));
        var pooled = builder.Node("GlobalAveragePool", ["images"]);
        builder.NamedNode("Flatten", [pooled], [OutputName], OnnxGraphBuilder.IntAttribute("axis", 1));
        builder.AddFloatOutput(OutputName, OnnxGraphBuilder.Dim("N"), OnnxGraphBuilder.Dim(3));
        var model = new ModelProto { IrVersion = 7, Graph = builder.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 13 });
        File.WriteAllBytes(path, model.ToByteArray());
    }
}

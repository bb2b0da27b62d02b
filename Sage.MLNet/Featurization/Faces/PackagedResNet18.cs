using Google.Protobuf;
using Onnx;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// The ResNet18 ONNX of Microsoft.ML.DnnImageFeaturizer.ResNet18, edited in memory so it takes [N, 3, H, W]
/// rather than only [1, 3, 224, 224], and its preprocessing (BGR planes, 0–255, minus a 224 × 224 mean image).
/// </summary>
internal static class PackagedResNet18
{
    public const string PackageName = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    private const int PackagedSize = 224;

    /// <summary>The packaged CNN next to the application: [1, 3, 224, 224] → [1, 512, 1, 1].</summary>
    public static string ModelPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The packaged preprocessing: RGB planes → BGR planes minus the mean image.</summary>
    public static string PreprocessPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    /// <summary>Returns the edited CNN as ONNX bytes.</summary>
    /// <exception cref="FileNotFoundException">The packaged model is not next to the application.</exception>
    public static byte[] LoadBatchedModel()
    {
        var model = Read(ModelPath);
        MakeBatched(model.Graph);
        return model.ToByteArray();
    }

    /// <summary>Returns the packaged normalisation at <paramref name="width"/> × <paramref name="height"/>: the mean image at 224², its per-channel means elsewhere.</summary>
    /// <exception cref="FileNotFoundException">The packaged preprocessing model is not next to the application.</exception>
    public static FaceImageNormalization Normalization(int width, int height)
    {
        var preprocess = Read(PreprocessPath);
        var meanImage = preprocess.Graph.Initializer.Single(t => t.Name == "MeanImage").FloatData.ToArray();   // [1, 3, 224, 224], BGR
        if (width == PackagedSize && height == PackagedSize)
        {
            return FaceImageNormalization.MeanImage(width, height, SageFaceChannelOrder.Bgr, 1f, meanImage);
        }
        const int plane = PackagedSize * PackagedSize;
        var means = Enumerable.Range(0, 3).Select(c => (float)meanImage.AsSpan(c * plane, plane).ToArray().Average()).ToArray();
        return FaceImageNormalization.PerChannel(width, height, SageFaceChannelOrder.Bgr, 1f, means, [1f, 1f, 1f]);
    }

    /// <summary>Edits the graph so batch and image size are free and the result per image does not depend on them.</summary>
    internal static void MakeBatched(GraphProto graph)
    {
        var input = graph.Input.Single(i => graph.Initializer.All(t => t.Name != i.Name));
        var dims = input.Type.TensorType.Shape.Dim;
        dims[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
        dims[2] = new TensorShapeProto.Types.Dimension { DimParam = "H" };
        dims[3] = new TensorShapeProto.Types.Dimension { DimParam = "W" };
        foreach (var output in graph.Output)
        {
            output.Type.TensorType.Shape.Dim[0] = new TensorShapeProto.Types.Dimension { DimParam = "N" };
        }
        // The exporter recorded every intermediate shape for [1, 3, 224, 224]; ORT would reject other inputs against them.
        graph.ValueInfo.Clear();
        foreach (var node in graph.Node)
        {
            if (node.OpType == "AveragePool")
            {
                // The final 7 × 7 pool covers the whole 7 × 7 map only at 224²; GlobalAveragePool is the same there and right at any size.
                node.OpType = "GlobalAveragePool";
                node.Attribute.Clear();
            }
            var pads = node.Attribute.FirstOrDefault(a => a.Name == "pads");
            if (pads is { Ints.Count: 4 })
            {
                // CNTK exported its stride-2 layers with less padding at the end ([3, 3, 2, 2], [1, 1, 0, 0]). At even sizes the
                // extra end padding adds no output position and only zeros, so values are unchanged; symmetric pads suit any size.
                pads.Ints[2] = pads.Ints[0];
                pads.Ints[3] = pads.Ints[1];
            }
        }
    }

    /// <summary>Parses a packaged model, opened for shared reading.</summary>
    /// <remarks>
    /// OnnxSharp's ParseFromFile opens the file read-write and unshared, which .NET on Linux turns into an exclusive lock:
    /// a second process featurising at the same time (a job array's tasks on one node) failed with "being used by another process".
    /// </remarks>
    private static ModelProto Read(string path) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Require(path)));

    private static string Require(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException(
            $"The packaged ResNet18 face encoder is not at '{path}'; reference the {PackageName} package from the application (it copies DnnImageModels/ next to it) or set EncoderModelPath",
            path);
}

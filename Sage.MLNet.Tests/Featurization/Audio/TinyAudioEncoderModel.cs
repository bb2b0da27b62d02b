using Google.Protobuf;
using Onnx;

namespace Sage.MLNet.Tests.Featurization.Audio;

/// <summary>
/// Writes a two-feature ONNX "audio encoder": waveform [1, samples] → [1, samples / 320, 2], where step k's features
/// are the mean of samples 320k … 320k + 319 and sample 320k itself (a Conv of kernel and stride 320, like WavLM's 20 ms steps).
/// </summary>
internal static class TinyAudioEncoderModel
{
    public const int StepSamples = 320;

    public static void Write(string path)
    {
        var graph = new GraphProto { Name = "tiny_audio_encoder" };
        graph.Input.Add(FloatValueInfo("waveform", Dim(1), Dim("samples")));
        graph.Output.Add(FloatValueInfo("features", Dim(1), Dim("steps"), Dim(2)));

        var axes = new TensorProto { Name = "axes", DataType = (int)TensorProto.Types.DataType.Int64 };
        axes.Dims.Add(1);
        axes.Int64Data.Add(1);
        var weights = new TensorProto { Name = "weights", DataType = (int)TensorProto.Types.DataType.Float };
        weights.Dims.AddRange([2, 1, StepSamples]);
        weights.FloatData.AddRange(Enumerable.Repeat(1f / StepSamples, StepSamples));            // channel 0: block mean
        weights.FloatData.AddRange(Enumerable.Range(0, StepSamples).Select(i => i == 0 ? 1f : 0f)); // channel 1: first sample
        graph.Initializer.Add(axes);
        graph.Initializer.Add(weights);

        graph.Node.Add(Node("Unsqueeze", ["waveform", "axes"], "channels"));       // [1, 1, samples]
        var conv = Node("Conv", ["channels", "weights"], "steps_first");            // [1, 2, steps]
        conv.Attribute.Add(Ints("kernel_shape", StepSamples));
        conv.Attribute.Add(Ints("strides", StepSamples));
        graph.Node.Add(conv);
        var transpose = Node("Transpose", ["steps_first"], "features");             // [1, steps, 2]
        transpose.Attribute.Add(Ints("perm", 0, 2, 1));
        graph.Node.Add(transpose);

        var model = new ModelProto { IrVersion = 8, ProducerName = "Sage.MLNet.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static NodeProto Node(string opType, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    private static TensorShapeProto.Types.Dimension Dim(string name) => new() { DimParam = name };

    private static ValueInfoProto FloatValueInfo(string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}

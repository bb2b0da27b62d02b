using Onnx;

namespace Sage.MLNet.Export;

/// <summary>
/// Appends nodes, constant initializers, inputs and outputs to an ONNX <see cref="GraphProto"/>, giving
/// every value a unique name so that callers only pass names around.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<string, string> _int64Constants = [];

    public OnnxGraphBuilder(string name)
    {
        _graph = new GraphProto { Name = name };
    }

    public GraphProto Graph => _graph;

    /// <summary>A fixed dimension of a graph input or output.</summary>
    public static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    /// <summary>A symbolic dimension, named so that equal names mean equal sizes at run time.</summary>
    public static TensorShapeProto.Types.Dimension Dim(string name) => new() { DimParam = name };

    public void AddFloatInput(string name, params TensorShapeProto.Types.Dimension[] dims)
    {
        Reserve(name);
        _graph.Input.Add(FloatValueInfo(name, dims));
    }

    /// <summary>Declares an existing value, already written under this name by a node, as a graph output.</summary>
    public void AddFloatOutput(string name, params TensorShapeProto.Types.Dimension[] dims) =>
        _graph.Output.Add(FloatValueInfo(name, dims));

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        Nodes(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs (e.g. Split) and returns their names.</summary>
    public string[] Nodes(string opType, IReadOnlyList<string> inputs, int outputCount, params AttributeProto[] attributes)
    {
        var outputs = Enumerable.Range(0, outputCount).Select(_ => UniqueName(opType)).ToArray();
        Append(opType, inputs, outputs, attributes);
        return outputs;
    }

    /// <summary>Adds a node whose outputs get the caller's names, e.g. the graph outputs.</summary>
    public void NamedNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params AttributeProto[] attributes)
    {
        foreach (var output in outputs)
        {
            Reserve(output);
        }
        Append(opType, inputs, outputs, attributes);
    }

    /// <summary>Adds a float initializer of the given shape (row-major values) and returns its name.</summary>
    public string Floats(string hint, float[] values, IReadOnlyList<long> dims)
    {
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float scalar (rank 0) initializer.</summary>
    public string FloatScalar(string hint, float value) => Floats(hint, [value], []);

    /// <summary>A 1-D int64 initializer (axes, shapes, split sizes), shared between all nodes that use the same values.</summary>
    public string Int64s(params long[] values) => Int64Constant(values, [values.Length]);

    /// <summary>An int64 initializer of the given shape, e.g. gather indices.</summary>
    public string Int64Tensor(string hint, long[] values, IReadOnlyList<long> dims)
    {
        var tensor = new TensorProto { Name = UniqueName(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>An int64 scalar (rank 0) initializer, shared like <see cref="Int64s"/>.</summary>
    public string Int64Scalar(long value) => Int64Constant([value], []);

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto IntsAttribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto StringAttribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };

    /// <summary>A one-element float tensor attribute, e.g. the fill value of ConstantOfShape.</summary>
    public static AttributeProto FloatTensorAttribute(string name, float value)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(1);
        tensor.FloatData.Add(value);
        return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
    }

    private string Int64Constant(long[] values, long[] dims)
    {
        var key = $"[{string.Join(',', dims)}]{string.Join(',', values)}";
        if (_int64Constants.TryGetValue(key, out var existing))
        {
            return existing;
        }
        var tensor = new TensorProto { Name = UniqueName("const_i64"), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        _int64Constants.Add(key, tensor.Name);
        return tensor.Name;
    }

    /// <summary>Returns <paramref name="hint"/>, or it with a numeric suffix when the name is taken.</summary>
    private string UniqueName(string hint)
    {
        var name = hint;
        for (var suffix = 1; _names.Contains(name); suffix++)
        {
            name = $"{hint}_{suffix}";
        }
        _names.Add(name);
        return name;
    }

    private void Append(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName($"{opType}_node") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name))
        {
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
        }
    }

    private static ValueInfoProto FloatValueInfo(string name, TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}

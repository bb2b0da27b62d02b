using Microsoft.ML.OnnxRuntime;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// One ONNX Runtime session of an image encoder: [N, 3, H, W] in, one flattened embedding of
/// <see cref="FeatureSize"/> values per image out.
/// </summary>
internal sealed class FaceEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _height;
    private readonly int _width;
    // Runs are serialised: ML.NET featurises several videos at once on its worker threads, and concurrent runs
    // each using every core slow each other by an order of magnitude on small machines (see measured baselines).
    // Decoding, the other half of the work, still runs in parallel.
    private readonly Lock _run = new();

    private FaceEncoder(InferenceSession session, string inputName, string outputName, int width, int height, int featureSize)
    {
        _session = session;
        _inputName = inputName;
        _outputName = outputName;
        _width = width;
        _height = height;
        FeatureSize = featureSize;
    }

    /// <summary>Dv: values per image in the embedding.</summary>
    public int FeatureSize { get; }

    /// <summary>Opens ONNX bytes and checks they map [N, 3, H, W] to a fixed-size embedding per image; errors name the model by <c>source</c> (a path or the package).</summary>
    /// <exception cref="ArgumentException">The model's input or the requested output does not fit; the message names the model.</exception>
    public static FaceEncoder Open(byte[] model, string source, string? outputName, int width, int height, int? gpuDeviceId, bool fallbackToCpu)
    {
        var session = FaceEncoderSession.Create(model, gpuDeviceId, fallbackToCpu);
        try
        {
            var input = session.InputMetadata.Count == 1
                ? session.InputMetadata.Single()
                : throw new ArgumentException($"Image encoder '{source}' has {session.InputMetadata.Count} inputs; expected one [N, 3, H, W] input", nameof(SageFaceFeaturizerOptions.EncoderModelPath));
            var dims = input.Value.Dimensions;
            if (dims.Length != 4 || dims[1] is not (3 or -1) || dims[2] > 0 && dims[2] != height || dims[3] > 0 && dims[3] != width)
            {
                throw new ArgumentException(
                    $"Image encoder '{source}' input '{input.Key}' has shape [{string.Join(", ", dims)}]; expected [N, 3, {height}, {width}]",
                    nameof(SageFaceFeaturizerOptions.EncoderModelPath));
            }
            var output = outputName ?? session.OutputNames[0];
            if (!session.OutputMetadata.TryGetValue(output, out var outputMeta))
            {
                throw new ArgumentException(
                    $"Image encoder '{source}' has no output '{output}'; its outputs are {string.Join(", ", session.OutputNames.Select(n => $"'{n}'"))}",
                    nameof(SageFaceFeaturizerOptions.EncoderOutputName));
            }
            var perImage = outputMeta.Dimensions.Skip(1).ToArray();
            if (perImage.Length == 0 || perImage.Any(d => d <= 0))
            {
                throw new ArgumentException(
                    $"Image encoder '{source}' output '{output}' has shape [{string.Join(", ", outputMeta.Dimensions)}]; expected a batch axis followed by fixed sizes",
                    nameof(SageFaceFeaturizerOptions.EncoderOutputName));
            }
            return new FaceEncoder(session, input.Key, output, width, height, perImage.Aggregate(1, (a, d) => a * d));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <param name="images">[count, 3, H, W]</param>
    /// <param name="count">Images in the batch.</param>
    /// <param name="features">[count, Dv], written</param>
    public void Encode(ReadOnlyMemory<float> images, int count, Span<float> features)
    {
        long[] shape = [count, 3, _height, _width];
        // The tensor only reads the caller's buffer; ORT's API takes Memory<T>, not ReadOnlyMemory<T>.
        var buffer = System.Runtime.InteropServices.MemoryMarshal.AsMemory(images[..(count * 3 * _height * _width)]);
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer, shape);
        using var runOptions = new RunOptions();
        IDisposableReadOnlyCollection<OrtValue> outputs;
        lock (_run)
        {
            outputs = _session.Run(runOptions, [_inputName], [input], [_outputName]);
        }
        using (outputs)
        {
            outputs[0].GetTensorDataAsSpan<float>()[..(count * FeatureSize)].CopyTo(features);
        }
    }

    public void Dispose() => _session.Dispose();
}

using Microsoft.ML.OnnxRuntime;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Creates the encoder's ONNX Runtime session on the GPU when asked, else (or as a permitted fallback) on the CPU.</summary>
internal static class FaceEncoderSession
{
    /// <exception cref="InvalidOperationException">The GPU was asked for, cannot be used, and falling back is not allowed.</exception>
    public static InferenceSession Create(byte[] model, int? gpuDeviceId, bool fallbackToCpu)
    {
        if (gpuDeviceId is int device)
        {
            try
            {
                using var gpu = Options();
                gpu.AppendExecutionProvider_CUDA(device);
                return new InferenceSession(model, gpu);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                if (!fallbackToCpu)
                {
                    throw new InvalidOperationException(
                        $"The face encoder cannot run on GPU {device} ({e.Message}); set FallbackToCpu to run it on the CPU instead", e);
                }
            }
        }
        using var cpu = Options();
        return new InferenceSession(model, cpu);
    }

    private static SessionOptions Options()
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = Environment.ProcessorCount,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}

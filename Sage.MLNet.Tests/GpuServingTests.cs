using System.Runtime.InteropServices;
using Microsoft.ML;

namespace Sage.MLNet.Tests;

/// <summary>Serving settings reach ONNX Runtime: a GPU request with fallback still predicts the CPU's values.</summary>
[TestClass]
public sealed class GpuServingTests
{
    [TestMethod]
    public void Fit_GpuRequestedWithFallback_PredictsLikeTheCpu()
    {
        // Without a usable CUDA provider (as on CI) ONNX Runtime falls back to the CPU; with one, the GPU's
        // float32 results differ from the CPU's only by rounding.
        var ml = new MLContext(seed: 1);
        var train = TestData.Videos(ml, 4, seed: 1);
        var test = TestData.Videos(ml, 2, seed: 3, minFrames: 50, maxFrames: 400);
        var gpuOptions = TestData.SmallOptions(maxEpochs: 1);
        gpuOptions.GpuDeviceId = 0;
        gpuOptions.FallbackToCpu = true;

        using var onGpu = ml.Transforms.Sage(gpuOptions).Fit(train);
        using var onCpu = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 1)).Fit(train);

        var gpu = ml.Data.CreateEnumerable<TestData.ScoredRow>(onGpu.Transform(test), reuseRowObject: false).ToArray();
        var cpu = ml.Data.CreateEnumerable<TestData.ScoredRow>(onCpu.Transform(test), reuseRowObject: false).ToArray();
        Assert.AreEqual(cpu.Length, gpu.Length);
        for (var i = 0; i < cpu.Length; i++)
        {
            Assert.AreEqual(cpu[i].PredictedValence.Length, gpu[i].PredictedValence.Length);
            for (var t = 0; t < cpu[i].PredictedValence.Length; t++)
            {
                Assert.AreEqual(cpu[i].PredictedValence[t], gpu[i].PredictedValence[t], 1e-4);
                Assert.AreEqual(cpu[i].Reliability[t], gpu[i].Reliability[t], 1e-4);
            }
        }
    }

    [TestMethod]
    public void Fit_GpuRequestedWithoutFallback_UsesTheGpuOrFails()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.Videos(ml, 2, seed: 1);
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.GpuDeviceId = 0;
        options.FallbackToCpu = false;
        if (CudaProviderLoads())
        {
            using var model = ml.Transforms.Sage(options).Fit(train);
            var scored = ml.Data.CreateEnumerable<TestData.ScoredRow>(model.Transform(train), reuseRowObject: false).ToArray();
            Assert.IsTrue(scored.All(row => row.PredictedValence.Length > 0));
        }
        else
        {
            // The request reached ONNX Runtime: without CUDA it cannot be honoured and, with no fallback, fails.
            Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.Sage(options).Fit(train).Dispose());
        }
    }

    private static bool CudaProviderLoads()
    {
        var provider = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime_providers_cuda.so");
        if (!NativeLibrary.TryLoad(provider, out var handle))
        {
            return false;
        }
        NativeLibrary.Free(handle);
        return true;
    }
}

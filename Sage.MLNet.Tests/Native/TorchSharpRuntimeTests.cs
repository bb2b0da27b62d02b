using System.Runtime.Versioning;
using Sage.MLNet.Build;
using Sage.MLNet.Native;
using TorchSharp;

namespace Sage.MLNet.Tests.Native;

[TestClass]
public sealed class TorchSharpRuntimeTests
{
    private const string GlibcxxFailure =
        "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/libLibTorchSharp.so)";

    // The build-time patch (the fast path) ran on this project's output: without it, the test host would load
    // the run-time copy from the per-user cache instead, and EnsureLoaded below would pass all the same.
    [TestMethod]
    public void BuildTargets_OutputCopy_LoadsWithoutGlibcxx332()
    {
        var output = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);

        Assert.HasCount(1, output);
        Assert.AreEqual(
            TorchSharpElf.HostProvidesGlibcxx332(out _), TorchSharpElf.RequiresGlibcxx332(output[0]),
            "the output copy is patched exactly where this host's libstdc++ lacks GLIBCXX_3.4.32");
    }

    [TestMethod]
    public void EnsureLoaded_OutputCopy_TorchComputes()
    {
        TorchSharpRuntime.EnsureLoaded();

        using var ones = torch.ones(2, 3);
        using var sum = ones.sum();
        Assert.AreEqual(6f, sum.item<float>());
    }

    [TestMethod]
    [SupportedOSPlatform("linux")]
    public void Explain_GlibcxxFailure_GivesLoaderMessageAndFixes()
    {
        var message = TorchSharpRuntime.Explain(GlibcxxFailure, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30");

        Assert.Contains("`GLIBCXX_3.4.32' not found", message);
        Assert.Contains("libstdc++.so.6.0.30", message);
        Assert.Contains(TorchSharpNativeCache.DefaultRoot(), message);
        Assert.Contains("XDG_CACHE_HOME", message);
        Assert.Contains("SageSkipTorchSharpNativePatch", message);
        Assert.Contains("Debian 13", message);
    }

    [TestMethod]
    public void Explain_RuntimePatchFailed_GivesItsReason()
    {
        var message = TorchSharpRuntime.Explain(GlibcxxFailure, null, "Access to the path '/home/x/.cache/sage-mlnet' is denied.");

        Assert.Contains("which failed: Access to the path '/home/x/.cache/sage-mlnet' is denied. Fix:", message);
    }

    [TestMethod]
    public void Classify_MissingCudaLibrary_IsMissingCuda() =>
        Assert.AreEqual(
            TorchSharpRuntime.FailureCause.MissingCuda,
            TorchSharpRuntime.Classify("libtorch_cuda.so: cannot open shared object file: No such file or directory"));

    [TestMethod]
    public void LoadedLibStdCxx_OnLinux_IsLibStdCxx()
    {
        var path = TorchSharpRuntime.LoadedLibStdCxx();

        Assert.IsNotNull(path);
        Assert.IsTrue(File.Exists(path), path);
        Assert.StartsWith("libstdc++.so", Path.GetFileName(path));
    }
}

using System.Runtime.InteropServices;
using TorchSharp;

namespace Sage.MLNet.Native;

/// <summary>
/// Loads TorchSharp's native libraries once, before the library's first use of torch, and turns a load
/// failure into a <see cref="SageNativeLibraryException"/> that says why and how to fix it.
/// </summary>
/// <remarks>
/// TorchSharp swallows the loader's error and reports any failure as a missing libtorch package inside a
/// TypeInitializationException; after that, torch stays unusable for the life of the process.
/// </remarks>
internal static class TorchSharpRuntime
{
    private const string MissingFile = ": cannot open shared object file";

    // Lazy's default mode runs the load once and caches an exception, as the type initialiser does.
    private static readonly Lazy<bool> _loaded = new(Load);

    /// <summary>The reason a native load failed, which decides the advice given.</summary>
    internal enum FailureCause
    {
        /// <summary>libstdc++ predates gcc 13 and lacks GLIBCXX_3.4.32.</summary>
        OldLibStdCxx,

        /// <summary>A CUDA library of libtorch is missing.</summary>
        MissingCuda,

        /// <summary>Anything else, usually a missing libtorch package.</summary>
        Other,
    }

    /// <summary>Loads TorchSharp's native backend, or throws <see cref="SageNativeLibraryException"/>.</summary>
    internal static void EnsureLoaded() => _ = _loaded.Value;

    /// <summary>Classifies the loader's message.</summary>
    internal static FailureCause Classify(string loaderMessage) =>
        loaderMessage.Contains("GLIBCXX_", StringComparison.Ordinal) ? FailureCause.OldLibStdCxx
        : loaderMessage.Contains("cuda", StringComparison.OrdinalIgnoreCase) ? FailureCause.MissingCuda
        : FailureCause.Other;

    /// <summary>Builds the exception message: what failed, why and how to fix it.</summary>
    internal static string Explain(string loaderMessage, string? libStdCxx) =>
        $"TorchSharp's native library libLibTorchSharp.so could not be loaded: {loaderMessage.TrimEnd('.')}. "
        + Classify(loaderMessage) switch
        {
            FailureCause.OldLibStdCxx =>
                $"TorchSharp is built with gcc 13 and asks for libstdc++'s GLIBCXX_3.4.32, which this libstdc++ ({libStdCxx ?? "not found"}) "
                + "predates, as on Debian 12 and Ubuntu 22.04. Fix: build or publish the application with MSBuild (dotnet build, "
                + "dotnet publish) so that the Sage.MLNet build targets patch the copy in the output folder, and do not set "
                + "SageSkipTorchSharpNativePatch; or run on libstdc++ from gcc 13 or later (Debian 13, Ubuntu 24.04).",
            FailureCause.MissingCuda =>
                "The CUDA backend is incomplete: the application must reference the libtorch-cuda-12.8-linux-x64 package "
                + "(build Sage.MLNet with SageTorchBackend=cuda).",
            _ =>
                "The application must reference the libtorch package matching TorchSharp: libtorch-cpu-linux-x64, "
                + "or libtorch-cuda-12.8-linux-x64 for CUDA.",
        };

    /// <summary>The libstdc++ this process has loaded (the .NET runtime itself needs one), from /proc/self/maps.</summary>
    internal static string? LoadedLibStdCxx()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
            return null;
        // Each line ends with the mapped file's path, e.g. "... /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30".
        return File.ReadLines(maps)
            .Where(line => line.Contains("/libstdc++.so", StringComparison.Ordinal))
            .Select(line => line[line.IndexOf('/')..])
            .FirstOrDefault();
    }

    private static bool Load()
    {
        try
        {
            return torch.TryInitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            throw new SageNativeLibraryException(Explain(LoaderMessage(ex), LoadedLibStdCxx()), ex);
        }
    }

    /// <summary>
    /// Loads libLibTorchSharp again, the way TorchSharp does, to recover the loader's own error: the lines
    /// of the DllNotFoundException that are not misses of probed LibTorchSharp file names.
    /// </summary>
    private static string LoaderMessage(Exception failure)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null));
        }
        catch (DllNotFoundException ex)
        {
            var lines = ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var causes = lines.Skip(1).Where(line => !IsProbeMiss(line)).Distinct().ToArray();
            return causes.Length > 0 ? string.Join(" ", causes) : lines[0];
        }
        return (failure.InnerException ?? failure).Message.Split('\n')[0];
    }

    private static bool IsProbeMiss(string line)
    {
        int missing = line.IndexOf(MissingFile, StringComparison.Ordinal);
        return missing >= 0 && line.LastIndexOf("LibTorchSharp", missing, StringComparison.Ordinal) >= 0;
    }
}

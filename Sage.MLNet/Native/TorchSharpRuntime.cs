using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Sage.MLNet.Build;
using TorchSharp;

namespace Sage.MLNet.Native;

/// <summary>
/// Loads TorchSharp's native libraries once, before the library's first use of torch, and turns a load
/// failure into a <see cref="SageNativeLibraryException"/> that says why and how to fix it.
/// </summary>
/// <remarks>
/// TorchSharp swallows the loader's error and reports any failure as a missing libtorch package inside a
/// TypeInitializationException; after that, torch stays unusable for the life of the process. So before torch is
/// first touched, this class loads libLibTorchSharp itself: where that fails on libstdc++'s missing GLIBCXX_3.4.32
/// (a copy the build targets did not patch), it loads a patched copy from <see cref="TorchSharpNativeCache"/> and
/// hands that to TorchSharp's P/Invokes through a DllImport resolver. The build-time patch stays the fast path.
/// </remarks>
internal static class TorchSharpRuntime
{
    private const string MissingFile = ": cannot open shared object file";
    private const string LibTorchSharp = "LibTorchSharp";

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
    /// <param name="loaderMessage">The dynamic loader's error.</param>
    /// <param name="libStdCxx">The libstdc++ the process loaded, if known.</param>
    /// <param name="runtimePatchFailure">Why the run-time patch into the per-user cache failed, if it was tried.</param>
    internal static string Explain(string loaderMessage, string? libStdCxx, string? runtimePatchFailure = null) =>
        $"TorchSharp's native library libLibTorchSharp.so could not be loaded: {loaderMessage.TrimEnd('.')}. "
        + Classify(loaderMessage) switch
        {
            FailureCause.OldLibStdCxx =>
                $"TorchSharp is built with gcc 13 and asks for libstdc++'s GLIBCXX_3.4.32, which this libstdc++ ({libStdCxx ?? "not found"}) "
                + "predates, as on Debian 12 and Ubuntu 22.04. Sage.MLNet then loads a patched copy from the per-user cache "
                + $"{CacheRootForMessage()}{(runtimePatchFailure is null ? "" : $", which failed: {runtimePatchFailure.TrimEnd('.')}")}. "
                + "Fix: make that folder writable or point XDG_CACHE_HOME at a writable one; or build or publish the application "
                + "with the Sage.MLNet build targets (a PackageReference, without SageSkipTorchSharpNativePatch), which patch the copy "
                + "in the output folder; or run on libstdc++ from gcc 13 or later (Debian 13, Ubuntu 24.04).",
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
        var runtimePatchFailure = OperatingSystem.IsLinux() ? LoadPatchedCopyIfNeeded() : null;
        try
        {
            return torch.TryInitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            throw new SageNativeLibraryException(Explain(LoaderMessage(ex), LoadedLibStdCxx(), runtimePatchFailure), ex);
        }
    }

    /// <summary>
    /// Loads libLibTorchSharp as TorchSharp would; if that fails on GLIBCXX_3.4.32, loads a patched copy from the
    /// per-user cache and resolves TorchSharp's "LibTorchSharp" imports to it. Touches nothing of torch itself.
    /// </summary>
    /// <returns>Why the patched copy could not be used, or <see langword="null"/> when it was not needed or is in use.</returns>
    [SupportedOSPlatform("linux")]
    private static string? LoadPatchedCopyIfNeeded()
    {
        var assembly = typeof(torch).Assembly;
        // Library handles loaded here stay loaded for the life of the process, as TorchSharp's own do.
        try
        {
            NativeLibrary.Load(LibTorchSharp, assembly, null);
            return null;
        }
        catch (DllNotFoundException ex) when (!ex.Message.Contains(TorchSharpElf.Glibcxx332, StringComparison.Ordinal))
        {
            return null; // another cause: TorchSharp's own fallbacks run, then Explain names it
        }
        catch (DllNotFoundException)
        {
        }

        var shipped = ShippedLibrary(assembly);
        if (shipped is null)
            return $"no {TorchSharpNativeCache.LibraryFileName} was found in the application's native search folders";
        try
        {
            var copy = TorchSharpNativeCache.PatchedCopy(shipped, TorchSharpNativeCache.DefaultRoot());
            // The copy's RUNPATH ($ORIGIN) points into the cache, so first load the libtorch libraries it needs from
            // beside the shipped file: the loader then matches its DT_NEEDED entries to them by soname.
            var folder = Path.GetDirectoryName(shipped)!;
            foreach (var needed in TorchSharpElf.NeededLibraries(shipped))
            {
                var beside = Path.Combine(folder, needed);
                if (File.Exists(beside))
                    NativeLibrary.Load(beside);
            }
            var handle = NativeLibrary.Load(copy);
            NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == LibTorchSharp ? handle : IntPtr.Zero);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException
            or DllNotFoundException or InvalidOperationException or BadImageFormatException)
        {
            return ex.Message;
        }
    }

    /// <summary>The first libLibTorchSharp.so in the folders the runtime probes for native libraries, then TorchSharp's own.</summary>
    [SupportedOSPlatform("linux")]
    private static string? ShippedLibrary(System.Reflection.Assembly assembly)
    {
        var searched = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory);
        return searched
            .Select(folder => Path.Combine(folder, TorchSharpNativeCache.LibraryFileName))
            .FirstOrDefault(File.Exists);
    }

    private static string CacheRootForMessage() =>
        OperatingSystem.IsLinux() ? TorchSharpNativeCache.DefaultRoot() : "(Linux only)";

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

using System.Runtime.Versioning;
using System.Security.Cryptography;
using Sage.MLNet.Build;

namespace Sage.MLNet.Native;

/// <summary>
/// Keeps patched copies of TorchSharp's libLibTorchSharp.so in a per-user cache, for processes whose copy was not
/// patched at build time (a project reference from outside the repository, an app built where libstdc++ is new).
/// </summary>
/// <remarks>
/// Each copy lives in a folder named by the SHA-256 of the library it was made from, so TorchSharp versions never
/// share one. A copy is written to a temporary file and renamed into place, and it is used only while its SHA-256
/// equals that of the patch computed afresh from the original: a torn or altered file is rewritten, never loaded.
/// </remarks>
[SupportedOSPlatform("linux")]
internal static class TorchSharpNativeCache
{
    /// <summary>The file name of TorchSharp's native glue library on Linux.</summary>
    internal const string LibraryFileName = "libLibTorchSharp.so";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Returns the cache folder: <c>$XDG_CACHE_HOME/sage-mlnet/native</c>, else <c>~/.cache/sage-mlnet/native</c>.</summary>
    internal static string DefaultRoot()
    {
        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cacheHome) || !Path.IsPathRooted(cacheHome))
            cacheHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheHome, "sage-mlnet", "native");
    }

    /// <summary>
    /// Returns the path of a copy of <paramref name="original"/> whose GLIBCXX_3.4.32 requirement is optional, under
    /// <paramref name="root"/>; writes it (atomically) only when no copy with the expected SHA-256 is there yet.
    /// </summary>
    /// <exception cref="InvalidDataException">The original cannot be patched (or needs no patch); the message names it.</exception>
    /// <exception cref="IOException">The copy cannot be written, or does not hash as expected after writing.</exception>
    internal static string PatchedCopy(string original, string root)
    {
        var image = File.ReadAllBytes(original);
        var patched = TorchSharpElf.PatchedImage(image, original)
            ?? throw new InvalidDataException($"{original}: does not require {TorchSharpElf.Glibcxx332}, so a patched copy would not load either.");
        var expected = SHA256.HashData(patched);
        var folder = Path.Combine(root, Convert.ToHexStringLower(SHA256.HashData(image)));
        var target = Path.Combine(folder, LibraryFileName);
        if (HasHash(target, expected))
            return target;

        Directory.CreateDirectory(folder, OwnerOnly);
        var temp = Path.Combine(folder, $".{LibraryFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly };
            using (var stream = new FileStream(temp, create))
            {
                stream.Write(patched);
                stream.Flush(flushToDisk: true);
            }
            // Another process may rename its identical copy in at the same time; either one is the same bytes.
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        return HasHash(target, expected)
            ? target
            : throw new IOException($"{target}: its SHA-256 is not that of the patched library after writing it.");
    }

    private static bool HasHash(string path, byte[] expected)
    {
        if (!File.Exists(path))
            return false;
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream).AsSpan().SequenceEqual(expected);
    }
}

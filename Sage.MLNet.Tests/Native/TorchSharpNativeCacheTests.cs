using System.Runtime.Versioning;
using System.Security.Cryptography;
using Sage.MLNet.Build;
using Sage.MLNet.Native;

namespace Sage.MLNet.Tests.Native;

[TestClass]
[SupportedOSPlatform("linux")]
public sealed class TorchSharpNativeCacheTests
{
    private string _root = null!;

    [TestInitialize]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("sage-native-cache-").FullName;

    [TestCleanup]
    public void DeleteRoot()
    {
        if (_root is not null)
            Directory.Delete(_root, recursive: true);
    }

    [TestMethod]
    public void PatchedCopy_ShippedLibrary_WritesPatchUnderOriginalsHash()
    {
        var copy = TorchSharpNativeCache.PatchedCopy(TorchSharpElfTests.ShippedLibrary, _root);

        var shipped = File.ReadAllBytes(TorchSharpElfTests.ShippedLibrary);
        Assert.AreEqual(Path.Combine(_root, Convert.ToHexStringLower(SHA256.HashData(shipped)), "libLibTorchSharp.so"), copy);
        Assert.IsFalse(TorchSharpElf.RequiresGlibcxx332(copy));
        CollectionAssert.AreEqual(TorchSharpElf.PatchedImage(shipped, "shipped"), File.ReadAllBytes(copy));
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(copy)!, "*", SearchOption.AllDirectories));
    }

    [TestMethod]
    public void PatchedCopy_SecondCall_ReusesFile()
    {
        var first = TorchSharpNativeCache.PatchedCopy(TorchSharpElfTests.ShippedLibrary, _root);
        var written = DateTime.UtcNow.AddDays(-1);
        File.SetLastWriteTimeUtc(first, written);

        var second = TorchSharpNativeCache.PatchedCopy(TorchSharpElfTests.ShippedLibrary, _root);

        Assert.AreEqual(first, second);
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(second));
    }

    [TestMethod]
    public void PatchedCopy_AlteredCopy_RewritesIt()
    {
        var copy = TorchSharpNativeCache.PatchedCopy(TorchSharpElfTests.ShippedLibrary, _root);
        var expected = File.ReadAllBytes(copy);
        File.WriteAllBytes(copy, expected[..1000]);

        var again = TorchSharpNativeCache.PatchedCopy(TorchSharpElfTests.ShippedLibrary, _root);

        CollectionAssert.AreEqual(expected, File.ReadAllBytes(again));
    }

    [TestMethod]
    public void PatchedCopy_PatchedOriginal_ThrowsNamingFile()
    {
        var patched = Path.Combine(_root, "patched.so");
        File.Copy(TorchSharpElfTests.ShippedLibrary, patched);
        TorchSharpElf.Patch(patched);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => TorchSharpNativeCache.PatchedCopy(patched, _root));

        Assert.Contains(patched, error.Message);
        Assert.Contains("GLIBCXX_3.4.32", error.Message);
    }

    [TestMethod]
    public void DefaultRoot_XdgCacheHomeSet_IsUnderIt()
    {
        var previous = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/xdg-cache");
            Assert.AreEqual("/tmp/xdg-cache/sage-mlnet/native", TorchSharpNativeCache.DefaultRoot());
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", previous);
        }
    }

    [TestMethod]
    public void NeededLibraries_ShippedLibrary_ListsLibtorchAndLibStdCxx()
    {
        var needed = TorchSharpElf.NeededLibraries(TorchSharpElfTests.ShippedLibrary);

        CollectionAssert.IsSubsetOf(new[] { "libtorch.so", "libc10.so", "libtorch_cpu.so", "libstdc++.so.6" }, needed.ToArray());
    }
}

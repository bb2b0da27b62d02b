using Sage.MLNet.Build;

namespace Sage.MLNet.Tests.Native;

[TestClass]
public sealed class TorchSharpElfTests
{
    // The library as TorchSharp ships it, in the NuGet cache: tests work on a copy and never touch it.
    internal static string ShippedLibrary { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private string _folder = null!;
    private string _library = null!;

    [TestInitialize]
    public void CopyShippedLibrary()
    {
        Assert.IsTrue(File.Exists(ShippedLibrary), $"TorchSharp's Linux library is not restored at {ShippedLibrary}.");
        _folder = Directory.CreateTempSubdirectory("sage-elf-").FullName;
        _library = Path.Combine(_folder, "libLibTorchSharp.so");
        File.Copy(ShippedLibrary, _library);
    }

    [TestCleanup]
    public void DeleteCopy()
    {
        if (_folder is not null)
            Directory.Delete(_folder, recursive: true);
    }

    [TestMethod]
    public void RequiresGlibcxx332_ShippedLibrary_IsTrue() =>
        Assert.IsTrue(TorchSharpElf.RequiresGlibcxx332(_library));

    [TestMethod]
    public void Patch_ShippedLibrary_MakesRequirementOptional()
    {
        Assert.IsTrue(TorchSharpElf.Patch(_library));

        Assert.IsFalse(TorchSharpElf.RequiresGlibcxx332(_library));
    }

    [TestMethod]
    public void Patch_PatchedLibrary_ChangesNothing()
    {
        TorchSharpElf.Patch(_library);
        var once = File.ReadAllBytes(_library);

        Assert.IsFalse(TorchSharpElf.Patch(_library));

        CollectionAssert.AreEqual(once, File.ReadAllBytes(_library));
    }

    [TestMethod]
    public void Patch_ShippedLibrary_ChangesOnlyVersymAndVernauxFlags()
    {
        TorchSharpElf.Patch(_library);

        var shipped = File.ReadAllBytes(ShippedLibrary);
        var patched = File.ReadAllBytes(_library);
        Assert.HasCount(shipped.Length, patched);
        // One .gnu.version entry (482 -> 1) and one vna_flags (0 -> VER_FLG_WEAK): at most 4 bytes.
        int changed = shipped.Where((value, i) => value != patched[i]).Count();
        Assert.IsInRange(1, 4, changed);
    }

    [TestMethod]
    public void Patch_ShippedLibrary_KeepsLastWriteTime()
    {
        var before = File.GetLastWriteTimeUtc(_library);

        TorchSharpElf.Patch(_library);

        Assert.AreEqual(before, File.GetLastWriteTimeUtc(_library));
    }

    [TestMethod]
    public void Patch_NonElfFile_ThrowsNamingFile()
    {
        var text = Path.Combine(_folder, "not-a-library.so");
        File.WriteAllText(text, "not an ELF file, but long enough to hold an ELF64 header of sixty-four bytes");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => TorchSharpElf.Patch(text));

        Assert.Contains(text, error.Message);
    }
}

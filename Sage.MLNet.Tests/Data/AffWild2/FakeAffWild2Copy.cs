namespace Sage.MLNet.Tests.Data.AffWild2;

/// <summary>A tiny Aff-Wild2 copy in a temporary folder: empty crop and video files, real annotation text.</summary>
internal sealed class FakeAffWild2Copy : IDisposable
{
    public FakeAffWild2Copy() =>
        Root = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sage-affwild2-{Guid.NewGuid():N}")).FullName;

    public string Root { get; }

    /// <summary>Returns the full path of <paramref name="relative"/> (folders separated by '/').</summary>
    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>Writes <paramref name="relative"/> with the given lines, creating its folders.</summary>
    public string File(string relative, params string[] lines)
    {
        var path = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>Creates the face-crop folder <paramref name="folder"/> with the crops numbered <paramref name="numbers"/> (00001.jpg is frame 0).</summary>
    public string Crops(string folder, params int[] numbers)
    {
        var path = Directory.CreateDirectory(Path(folder)).FullName;
        foreach (var n in numbers)
        {
            System.IO.File.WriteAllBytes(System.IO.Path.Combine(path, $"{n:D5}.jpg"), []);
        }
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

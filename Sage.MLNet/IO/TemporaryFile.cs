namespace Sage.MLNet.IO;

/// <summary>
/// A file in the system's temporary folder that its owner deletes when disposed. Its name starts with <c>sage-</c>, so a
/// file left by a process that was killed can be told apart from others' files.
/// </summary>
internal sealed class TemporaryFile : IDisposable
{
    private TemporaryFile(string path) => Path = path;

    /// <summary>Gets the file's full path.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="contents"/> to a new file named <c>sage-</c><paramref name="label"/><c>-</c>(random)<paramref name="extension"/>.</summary>
    public static TemporaryFile Write(string label, string extension, ReadOnlySpan<byte> contents)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sage-{label}-{Guid.NewGuid():N}{extension}");
        var file = new TemporaryFile(path);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            stream.Write(contents);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Deletes the file; a file already gone is not an error.</summary>
    public void Dispose() => File.Delete(Path);
}

using System.IO.Compression;

namespace Sage.MLNet.Persistence;

/// <summary>
/// Opens a zip file for reading and rejects, naming the file, one that is corrupt or truncated or that
/// has an entry whose path would land outside the folder it is unpacked into.
/// </summary>
internal static class SafeZip
{
    /// <param name="path">The zip file.</param>
    /// <param name="description">What the file is, for messages, such as "Model file".</param>
    public static ZipArchive OpenRead(string path, string description)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{description} '{path}' does not exist", path);
        }
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{description} '{path}' is not a readable zip archive (corrupt or truncated): {e.Message}", e);
        }
        try
        {
            foreach (var entry in archive.Entries)
            {
                CheckEntryName(path, description, entry.FullName);
            }
            return archive;
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private static void CheckEntryName(string path, string description, string name)
    {
        var parts = name.Split('/', '\\');
        if (Path.IsPathRooted(name) || name.Contains(':') || parts.Any(part => part == ".."))
        {
            throw new InvalidDataException($"{description} '{path}' has an entry '{name}' that points outside the folder it belongs in");
        }
    }

    /// <summary>Reads a whole entry, turning a damaged entry into an error that names the file and the entry.</summary>
    public static byte[] ReadEntry(ZipArchive archive, string entryName, string path, string description)
    {
        var entry = archive.GetEntry(entryName)
            ?? throw new InvalidDataException($"{description} '{path}' has no entry '{entryName}'");
        try
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{description} '{path}': entry '{entryName}' is damaged: {e.Message}", e);
        }
    }
}

namespace Sage.MLNet.Samples.Web;

/// <summary>One request's temporary folder below the server's temp folder, deleted with everything in it when disposed.</summary>
internal sealed class UploadFolder : IDisposable
{
    private UploadFolder(string path) => Path = path;

    /// <summary>Gets the folder's full path.</summary>
    public string Path { get; }

    /// <summary>Returns a new, empty folder with a unique name inside <paramref name="root"/>.</summary>
    public static UploadFolder Create(string root) =>
        new(Directory.CreateDirectory(System.IO.Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName);

    /// <summary>Deletes the folder; a file some process still holds open is retried once, then left to the server's exit.</summary>
    public void Dispose()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }
                return;
            }
            catch (IOException) when (attempt == 0)
            {
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}

using System.Diagnostics;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>
/// An "in progress" marker beside a video's features file, <c>&lt;videoKey&gt;.features.claim</c>, that tells other
/// processes filling the same cache (overlapping job arrays, a retried task, a second machine) that this video is being
/// featurised, so they do other videos instead of paying for this one a second time.
/// </summary>
/// <remarks>
/// The marker is made with an exclusive create, which one process wins even on NFS v3+ and SMB. It holds the host name,
/// process id and a random nonce, and its last-write time is renewed every quarter of the stale timeout while the video
/// is featurised. A marker not renewed for the stale timeout belongs to a killed process and is taken over, as is at once
/// a marker of this host whose process no longer runs. Taking over renames the marker first, so of two processes that
/// both find it stale only one succeeds; the other sees the new owner's marker. The claim decides who computes, never what
/// is read: the features file itself is always written to a temporary name and renamed, so the worst a lost race costs
/// is one video featurised twice, never a damaged file.
/// </remarks>
internal sealed class FeatureCacheClaim : IDisposable
{
    public const string Extension = ".claim";

    private readonly string _path;
    private readonly string _content;
    private readonly Timer _heartbeat;
    private int _disposed;

    private FeatureCacheClaim(string path, string content, TimeSpan staleAfter)
    {
        _path = path;
        _content = content;
        var period = staleAfter / 4;
        _heartbeat = new Timer(_ => Renew(), null, period, period);
    }

    /// <summary>Returns the marker path of a features file.</summary>
    public static string PathOf(string featuresPath) => featuresPath + Extension;

    /// <summary>Claims the video of <paramref name="featuresPath"/>, or returns null when another live process holds it.</summary>
    /// <param name="featuresPath">The video's features file.</param>
    /// <param name="staleAfter">How long a marker may go unrenewed before its owner counts as dead.</param>
    public static FeatureCacheClaim? TryTake(string featuresPath, TimeSpan staleAfter)
    {
        var path = PathOf(featuresPath);
        var content = $"{Environment.MachineName} {Environment.ProcessId} {Guid.NewGuid():N}";
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (TryCreate(path, content))
            {
                return new FeatureCacheClaim(path, content, staleAfter);
            }
            if (!TryBreakStale(path, staleAfter))
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>Deletes hidden temporaries of <paramref name="featuresPath"/> older than <paramref name="staleAfter"/>: leftovers of killed writers.</summary>
    public static void DeleteStaleTemporaries(string featuresPath, TimeSpan staleAfter)
    {
        var folder = Path.GetDirectoryName(featuresPath)!;
        foreach (var temporary in Directory.EnumerateFiles(folder, $".{Path.GetFileName(featuresPath)}.*.tmp"))
        {
            try
            {
                if (DateTime.UtcNow - File.GetLastWriteTimeUtc(temporary) > staleAfter)
                {
                    File.Delete(temporary);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process removed or renamed it first.
            }
        }
    }

    /// <summary>Stops renewing and removes the marker, unless another process has taken it over meanwhile.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        using (var stopped = new ManualResetEvent(false))
        {
            // Wait for a renewal in flight, so it cannot recreate the marker's time stamp after the delete below.
            _heartbeat.Dispose(stopped);
            stopped.WaitOne();
        }
        if (ReadOrNull(_path) == _content)
        {
            TryDelete(_path);
        }
    }

    private void Renew()
    {
        try
        {
            if (Volatile.Read(ref _disposed) == 0 && ReadOrNull(_path) == _content)
            {
                File.SetLastWriteTimeUtc(_path, DateTime.UtcNow);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A missed renewal is harmless unless several in a row are missed; the next tick tries again.
        }
    }

    private static bool TryCreate(string path, string content)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            using var writer = new StreamWriter(stream);
            writer.Write(content);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>Removes the marker at <paramref name="path"/> if its owner is dead; returns whether a new claim may be tried.</summary>
    private static bool TryBreakStale(string path, TimeSpan staleAfter)
    {
        var content = ReadOrNull(path);
        if (content is null)
        {
            return true;        // released between our create and our read
        }
        DateTime written;
        try
        {
            written = File.GetLastWriteTimeUtc(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
        if (!File.Exists(path))
        {
            return true;
        }
        if (DateTime.UtcNow - written <= staleAfter && !OwnerIsDeadHere(content))
        {
            return false;
        }
        var broken = $"{path}.{Guid.NewGuid():N}.broken";
        try
        {
            File.Move(path, broken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;        // another process moved it first: try to create, which fails if that process now holds it
        }
        if (ReadOrNull(broken) != content)
        {
            // Another process broke the stale marker and claimed the video between our read and our rename: give it back.
            try
            {
                File.Move(broken, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDelete(broken);
            }
            return false;
        }
        TryDelete(broken);
        return true;
    }

    /// <summary>Returns whether the marker names this host and a process id that no longer runs here.</summary>
    private static bool OwnerIsDeadHere(string content)
    {
        var fields = content.Split(' ');
        if (fields.Length != 3 || fields[0] != Environment.MachineName || !int.TryParse(fields[1], out var pid))
        {
            return false;
        }
        if (pid == Environment.ProcessId)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;        // no process with that id
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}

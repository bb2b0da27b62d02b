using System.Diagnostics;

namespace Sage.MLNet.Tests.Samples;

/// <summary>The real-face test video that <c>eng/real-face-video.sh</c> makes from the registry photograph (4 s, 25 fps, a face in frames 0–79).</summary>
internal static class RealFaceVideo
{
    /// <summary>Frames in the video.</summary>
    public const int Frames = 100;

    /// <summary>Frames 0 to this − 1 show the whole photo; the rest show none of it.</summary>
    public const int FaceFrames = 80;

    /// <summary>Writes the video to <paramref name="path"/> and returns the path.</summary>
    public static string Make(string path)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository(), "eng", "real-face-video.sh"));
        start.ArgumentList.Add(path);
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync();
        var error = script.StandardError.ReadToEnd();
        script.WaitForExit();
        Assert.AreEqual(0, script.ExitCode, $"eng/real-face-video.sh failed:\n{output.Result}\n{error}");
        return path;
    }

    private static string Repository()
    {
        var repository = SampleProgram.RepositoryRoot();
        Assert.IsTrue(File.Exists(Path.Combine(repository, "eng", "real-face-video.sh")), $"no eng/real-face-video.sh under {repository}");
        return repository;
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace Sage.MLNet.Tests.Samples;

/// <summary>Runs the built sample program as a separate process, as a user would, and checks the files it writes.</summary>
internal static class SampleProgram
{
    /// <summary>Returns the exit code and the standard output and error of <c>Sage.MLNet.Samples</c> run with <paramref name="arguments"/>.</summary>
    public static ProgramRun Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ProgramPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new ProgramRun(process.ExitCode, output.Result, error);
    }

    /// <summary>Returns the run after asserting it succeeded, showing its output when it did not.</summary>
    public static ProgramRun RunSucceeding(params string[] arguments)
    {
        var run = Run(arguments);
        Assert.AreEqual(0, run.ExitCode, $"{string.Join(' ', arguments)} failed:\n{run.Output}\n{run.Error}");
        return run;
    }

    /// <summary>Returns metrics.json in <paramref name="folder"/> after asserting its required keys hold CCCs in [−1, 1] and a frame count.</summary>
    public static JsonElement ReadMetrics(string folder)
    {
        var path = Path.Combine(folder, "metrics.json");
        Assert.IsTrue(File.Exists(path), $"no metrics.json in {folder}");
        var metrics = JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
        foreach (var key in new[] { "valence_ccc", "arousal_ccc", "mean_ccc" })
        {
            var ccc = metrics.GetProperty(key).GetDouble();
            Assert.IsTrue(ccc is >= -1 and <= 1, $"{key} = {ccc}");
        }
        Assert.IsGreaterThan(0, metrics.GetProperty("frames").GetInt64());
        return metrics;
    }

    /// <summary>Asserts <paramref name="path"/> is a PNG file (its 8-byte signature) of at least 10 kB: a drawn plot, not an empty canvas.</summary>
    public static void AssertPlot(string path)
    {
        Assert.IsTrue(File.Exists(path), $"plot {path} missing");
        var bytes = File.ReadAllBytes(path);
        CollectionAssert.AreEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8], $"{path} is not a PNG");
        Assert.IsGreaterThan(10_000, bytes.Length, $"{path} is only {bytes.Length} bytes");
    }

    private static string ProgramPath()
    {
        // The program builds beside this test assembly's configuration: Sage.MLNet.Samples/bin/<config>/<tfm>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var repository = testOutput.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repository, "Sage.MLNet.Samples", "bin", testOutput.Parent.Name, testOutput.Name, "Sage.MLNet.Samples.dll");
        Assert.IsTrue(File.Exists(path), $"sample program not built at {path}");
        return path;
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace Sage.MLNet.Tests.Samples;

/// <summary>Runs the built sample program as a separate process, as a user would, and checks the files it writes.</summary>
internal static class SampleProgram
{
    /// <summary>Returns the exit code and the standard output and error of <c>Sage.MLNet.Samples</c> run with <paramref name="arguments"/>.</summary>
    public static ProgramRun Run(params string[] arguments) => Finish(Start(null, arguments));

    /// <summary>Starts <c>Sage.MLNet.Samples</c> with <paramref name="arguments"/>, its environment changed by <paramref name="environment"/> (a null value removes a variable).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        StartProcess("dotnet", [ProgramPath(), .. arguments], environment);

    /// <summary>Starts a bash script of the repository (e.g. <c>eng/cluster/featurize-slurm.sh</c>) with the program as <c>SAGE_PROGRAM</c>, its environment changed by <paramref name="environment"/>.</summary>
    public static Process StartScript(string script, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(environment) { ["SAGE_PROGRAM"] = $"dotnet {ProgramPath()}" };
        return StartProcess("bash", [Path.Combine(RepositoryRoot(), script), .. arguments], variables);
    }

    private static Process StartProcess(string program, string[] arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        return Process.Start(start)!;
    }

    /// <summary>Waits for a started run to end and returns what it gave; disposes the process.</summary>
    public static ProgramRun Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return new ProgramRun(process.ExitCode, output.Result, error);
        }
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

    /// <summary>Returns the repository's root folder, four levels above this test assembly (Sage.MLNet.Tests/bin/&lt;config&gt;/&lt;tfm&gt;/).</summary>
    public static string RepositoryRoot() => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.FullName;

    /// <summary>Returns the path of the built <c>Sage.MLNet.Samples.dll</c>, asserting it exists.</summary>
    public static string ProgramPath()
    {
        // The program builds beside this test assembly's configuration: Sage.MLNet.Samples/bin/<config>/<tfm>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var repository = RepositoryRoot();
        var path = Path.Combine(repository, "Sage.MLNet.Samples", "bin", testOutput.Parent!.Name, testOutput.Name, "Sage.MLNet.Samples.dll");
        Assert.IsTrue(File.Exists(path), $"sample program not built at {path}");
        return path;
    }
}

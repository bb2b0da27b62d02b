using System.Globalization;
using System.Diagnostics;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Runs this benchmark program again in a fresh process, so that one measurement's peak memory is its own.</summary>
internal static class ChildProcess
{
    /// <summary>Runs the program with <paramref name="arguments"/> (a command and its options) and returns what it printed.</summary>
    /// <exception cref="InvalidOperationException">The child failed; the message holds its exit code and error output.</exception>
    public static string Run(params IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        var output = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        return child.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"benchmark child '{string.Join(' ', start.ArgumentList)}' exited with {child.ExitCode}: {errors.Result}");
    }

    /// <summary>Returns VmHWM from /proc/self/status, the most physical memory this process has held, in MB.</summary>
    public static long PeakResidentMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}

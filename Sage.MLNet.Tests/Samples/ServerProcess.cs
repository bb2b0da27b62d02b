using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// The sample program's <c>serve</c> command running as a separate process on a free port of 127.0.0.1, as a user would
/// start it; disposing stops it with SIGTERM (as Ctrl+C would) and waits for it to exit.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines;

    private ServerProcess(Process process, Uri address, ConcurrentQueue<string> lines)
    {
        _process = process;
        Address = address;
        _lines = lines;
    }

    /// <summary>Gets the server's base address, e.g. http://127.0.0.1:43117/.</summary>
    public Uri Address { get; }

    /// <summary>Gets the server's process id.</summary>
    public int Id => _process.Id;

    /// <summary>Gets what the server printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>Returns a started server: <c>serve --urls http://127.0.0.1:0</c> and <paramref name="arguments"/>, once it says where it listens.</summary>
    public static ServerProcess Start(params string[] arguments) => StartIn(null, arguments);

    /// <summary>Returns a started server whose system temporary folder (TMPDIR) is <paramref name="systemTemp"/>, where the face extraction caches crops.</summary>
    public static ServerProcess StartIn(string? systemTemp, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (systemTemp is not null)
        {
            start.Environment["TMPDIR"] = Directory.CreateDirectory(systemTemp).FullName;
        }
        foreach (var argument in new[] { SampleProgram.ProgramPath(), "serve", "--urls", "http://127.0.0.1:0" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("the server's output ended before it said where it listens"));
                return;
            }
            lines.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(60)) || listening.Task.IsFaulted)
        {
            Stop(process);
            process.Dispose();
            Assert.Fail($"serve did not start listening within 60 s:\n{string.Join('\n', lines)}");
        }
        return new ServerProcess(process, listening.Task.Result, lines);
    }

    /// <summary>Stops the server as Ctrl+C would and returns its exit code.</summary>
    public int Stop()
    {
        Stop(_process);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Stop(_process);
        _process.Dispose();
    }

    private static void Stop(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    [GeneratedRegex(@"^Serving '.*' on (http://127\.0\.0\.1:\d+):")]
    private static partial Regex ListeningLine();
}

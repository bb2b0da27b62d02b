using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// Debian's <c>chromium</c> in headless mode on one page, read through the Chrome DevTools Protocol (a WebSocket to the page,
/// <c>Runtime.evaluate</c>). It fails the test when chromium is not installed: <c>eng/prerequisites.sh</c> installs it.
/// Disposing kills the browser and deletes its profile folder.
/// </summary>
internal sealed partial class HeadlessChromium : IDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _page;
    private readonly ConcurrentQueue<string> _errors;
    private int _nextId;
    private bool _disposed;

    private HeadlessChromium(Process process, string profile, ClientWebSocket page, ConcurrentQueue<string> errors)
    {
        _process = process;
        _profile = profile;
        _page = page;
        _errors = errors;
    }

    /// <summary>Starts chromium on <paramref name="url"/> with its profile in <paramref name="profile"/> and the extra <paramref name="flags"/>, and connects to the page.</summary>
    public static HeadlessChromium Start(Uri url, string profile, params string[] flags)
    {
        var executable = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            Assert.Fail("chromium is not installed, and the live page's test needs it: run eng/prerequisites.sh (or apt-get install chromium)");
        }
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        // chromium is killed at the end, so it never removes what it puts in the temporary folder (its singleton socket's
        // folder among others): give it one inside the profile, which Dispose deletes.
        start.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(profile, "tmp")).FullName;
        List<string> arguments = ["--headless=new", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--mute-audio",
            "--disable-dev-shm-usage"];     // containers often have a small /dev/shm, where chromium would otherwise crash
        if (Environment.UserName == "root")
        {
            arguments.Add("--no-sandbox");      // chromium refuses to run as root with its sandbox (CI containers)
        }
        arguments.AddRange(flags);
        arguments.Add(url.ToString());
        arguments.ForEach(start.ArgumentList.Add);
        var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("chromium ended before it opened its DevTools port"));
                return;
            }
            errors.Enqueue(e.Data);
            if (DevToolsLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            if (!listening.Task.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("chromium did not open its DevTools port within 30 s");
            }
            var page = ConnectToPage(listening.Task.Result, url).GetAwaiter().GetResult();
            return new HeadlessChromium(process, profile, page, errors);
        }
        catch (Exception e)
        {
            Kill(process);
            Assert.Fail($"chromium could not be driven: {e.Message}\n{string.Join('\n', errors)}");
            throw;
        }
    }

    /// <summary>Returns the value of the JavaScript <paramref name="expression"/> in the page, as a string (JSON for objects: stringify them).</summary>
    public async Task<string> EvaluateAsync(string expression)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = JsonSerializer.SerializeToUtf8Bytes(new { id, method = "Runtime.evaluate", @params = new { expression, returnByValue = true } });
        await _page.SendAsync(request, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var buffer = new byte[256 * 1024];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _page.ReceiveAsync(buffer, limit.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            var reply = JsonDocument.Parse(message.ToArray()).RootElement;
            if (!reply.TryGetProperty("id", out var replyId) || replyId.GetInt32() != id)
            {
                continue;   // an event, or an answer to an earlier question
            }
            if (reply.TryGetProperty("error", out var error) || reply.GetProperty("result").TryGetProperty("exceptionDetails", out error))
            {
                return $"error: {error}";
            }
            var value = reply.GetProperty("result").GetProperty("result");
            return value.TryGetProperty("value", out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()) : "undefined";
        }
    }

    /// <summary>Evaluates <paramref name="condition"/> every 250 ms until it is true (returns true) or <paramref name="timeout"/> passes (returns false).</summary>
    public async Task<bool> WaitForAsync(string condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await EvaluateAsync($"!!({condition})") == "true")
            {
                return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>Gets what chromium wrote on its standard error, for failure messages.</summary>
    public string Errors => string.Join('\n', _errors);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _page.Dispose();
        Kill(_process);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A helper process still writing its last file; the test's folder goes at cleanup.
        }
    }

    private static async Task<ClientWebSocket> ConnectToPage(Uri browser, Uri url)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{browser.Authority}/") };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var targets = JsonDocument.Parse(await http.GetStringAsync("json/list")).RootElement;
            var page = targets.EnumerateArray().FirstOrDefault(t => t.GetProperty("type").GetString() == "page"
                && t.GetProperty("url").GetString()!.StartsWith(url.GetLeftPart(UriPartial.Path), StringComparison.Ordinal));
            if (page.ValueKind == JsonValueKind.Object)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
                return socket;
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"no page for {url} among chromium's targets: {targets}");
            }
            await Task.Delay(200);
        }
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}

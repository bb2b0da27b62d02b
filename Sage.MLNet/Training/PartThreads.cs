using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Sage.MLNet.Training;

/// <summary>
/// Runs an action for each of a fixed number of parts at once: part 0 on the calling thread, every other part on a
/// thread of its own that lives as long as this object, with TorchSharp's intra-op threads set once on each.
/// </summary>
/// <remarks>
/// Threads of their own rather than the thread pool: the intra-op thread count that libtorch keeps per thread stays on
/// these threads, and never reaches pool threads that other work (such as serving) uses later.
/// </remarks>
internal sealed class PartThreads : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _starts;
    private readonly CountdownEvent _done;
    private readonly Exception?[] _errors;
    private Action<int>? _action;
    private volatile bool _stopping;

    /// <param name="parts">parts per run, at least 2</param>
    /// <param name="intraOpThreads">TorchSharp's intra-op threads on each part's thread (the caller sets its own)</param>
    public PartThreads(int parts, int intraOpThreads)
    {
        _errors = new Exception?[parts];
        _starts = [.. Enumerable.Range(1, parts - 1).Select(_ => new SemaphoreSlim(0))];
        _done = new CountdownEvent(parts - 1);
        _threads = [.. Enumerable.Range(1, parts - 1).Select(part => new Thread(() => Loop(part, intraOpThreads))
        {
            IsBackground = true,
            Name = $"Sage training part {part}",
        })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>The number of parts each run has.</summary>
    public int Count => _errors.Length;

    /// <summary>Runs <paramref name="action"/> for every part at once and returns when all have finished; rethrows the first part's exception.</summary>
    public void Run(Action<int> action)
    {
        _action = action;
        Array.Clear(_errors);
        _done.Reset();
        foreach (var start in _starts)
        {
            start.Release();
        }
        try
        {
            action(0);
        }
        catch (Exception e)
        {
            _errors[0] = e;
        }
        _done.Wait();
        _action = null;
        var error = _errors.FirstOrDefault(e => e is not null);
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private void Loop(int part, int intraOpThreads)
    {
        set_num_threads(intraOpThreads);
        while (true)
        {
            _starts[part - 1].Wait();
            if (_stopping)
            {
                return;
            }
            try
            {
                _action!(part);
            }
            catch (Exception e)
            {
                _errors[part] = e;
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var start in _starts)
        {
            start.Release();
        }
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        foreach (var start in _starts)
        {
            start.Dispose();
        }
        _done.Dispose();
    }
}

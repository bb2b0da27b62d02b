using System.Globalization;
using System.Runtime.InteropServices;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// Samples this process's memory every 50 ms on a background thread and splits it by owner: the managed heap, the C heap
/// (glibc's malloc, where TorchSharp's CPU tensors and ONNX Runtime's buffers live) and the rest (code, stacks, runtime).
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly TextWriter? _timeline = Environment.GetEnvironmentVariable("SAGE_MEMORY_TIMELINE") == "1" ? Console.Error : null;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _peakResident, _managedAtPeak, _mallocUsedAtPeak, _mallocHeldAtPeak, _peakManaged, _peakMallocUsed;
    private int _samples;

    /// <summary>Starts sampling; with the environment variable SAGE_MEMORY_TIMELINE=1 it also writes one line a second to standard error.</summary>
    public MemorySampler()
    {
        _thread = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    /// <summary>Returns e.g. "peak resident memory 812 MB: managed heap 230 MB, malloc 420 MB in use of 500 MB held, other 82 MB".</summary>
    public string Summary()
    {
        Stop();
        var peak = ChildProcess.PeakResidentMegabytes();
        return $"peak resident memory {peak:N0} MB; at the highest sample ({_peakResident >> 20:N0} MB): managed heap {_managedAtPeak >> 20:N0} MB, " +
            $"malloc {_mallocUsedAtPeak >> 20:N0} MB in use of {_mallocHeldAtPeak >> 20:N0} MB held, other {(_peakResident - _managedAtPeak - _mallocHeldAtPeak) >> 20:N0} MB; " +
            $"highest managed {_peakManaged >> 20:N0} MB, highest malloc in use {_peakMallocUsed >> 20:N0} MB";
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Stop()
    {
        if (!_stop.IsSet)
        {
            _stop.Set();
            _thread.Join();
        }
    }

    private void Sample()
    {
        do
        {
            var resident = Resident();
            var managed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            var malloc = MallInfo2();
            var (used, held) = ((long)malloc.Uordblks + (long)malloc.Hblkhd, (long)malloc.Arena + (long)malloc.Hblkhd);
            _peakManaged = Math.Max(_peakManaged, managed);
            _peakMallocUsed = Math.Max(_peakMallocUsed, used);
            if (resident > _peakResident)
            {
                (_peakResident, _managedAtPeak, _mallocUsedAtPeak, _mallocHeldAtPeak) = (resident, managed, used, held);
            }
            if (_timeline is not null && _samples++ % 20 == 0)
            {
                _timeline.WriteLine(FormattableString.Invariant(
                    $"{_clock.Elapsed.TotalSeconds:F0} s: resident {resident >> 20} MB, managed {managed >> 20} MB, malloc {used >> 20} in use of {held >> 20} MB held"));
            }
        }
        while (!_stop.Wait(50));
    }

    /// <summary>Returns VmRSS from /proc/self/status in bytes.</summary>
    private static long Resident()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(" ", StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo MallInfo2();

    /// <summary>glibc's struct mallinfo2 (2.33 and later): every field a size_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }
}

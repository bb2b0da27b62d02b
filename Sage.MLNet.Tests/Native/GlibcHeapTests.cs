using System.Runtime.InteropServices;
using Sage.MLNet.Native;

namespace Sage.MLNet.Tests.Native;

[TestClass]
public sealed class GlibcHeapTests
{
    private const int Blocks = 96;                  // 96 MiB in all: above glibc's adaptive trim threshold (at most 64 MiB)
    private const int BlockBytes = 1 << 20;

    // What a training step does to the C heap: allocate and touch its activations, then free them all. While retained,
    // the second round finds the first round's pages still mapped (no faults); afterwards they go back to the kernel.
    [TestMethod]
    public void RetainFreedMemory_AllocateFreeTwice_SecondRoundFaultsNoPagesAndDisposeTrims()
    {
        long faults, retainedPages;
        var retention = GlibcHeap.RetainFreedMemory();
        Assert.IsNotNull(retention, "this Linux's C library is glibc: the heap should be retained");
        try
        {
            AllocateTouchFree();
            var before = MinorFaults();
            AllocateTouchFree();
            faults = MinorFaults() - before;
            retainedPages = ResidentPages();
        }
        finally
        {
            retention.Dispose();
        }
        var trimmedPages = retainedPages - ResidentPages();
        var blockPages = (long)Blocks * BlockBytes / Environment.SystemPageSize;
        Assert.IsLessThan(blockPages / 20, faults, $"the second round faulted {faults} pages of {blockPages}: the first round's memory was given back");
        Assert.IsGreaterThan(blockPages / 2, trimmedPages, $"disposing gave back {trimmedPages} pages of {blockPages} freed");
    }

    // Marshal.AllocHGlobal is malloc on Linux, as libtorch's CPU allocator is.
    private static void AllocateTouchFree()
    {
        var ones = new byte[BlockBytes];
        Array.Fill(ones, (byte)1);
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockBytes);
            Marshal.Copy(ones, 0, blocks[i], BlockBytes);
        }
        foreach (var block in blocks)
        {
            Marshal.FreeHGlobal(block);
        }
    }

    /// <summary>Minor page faults of the calling thread so far (getrusage with RUSAGE_THREAD).</summary>
    private static long MinorFaults()
    {
        var usage = new long[18];                 // struct rusage: two timevals (4 longs), then 14 longs
        Assert.AreEqual(0, getrusage(1, usage), "getrusage(RUSAGE_THREAD) failed");
        return usage[4 + 4];                      // ru_minflt follows ru_maxrss, ru_ixrss, ru_idrss, ru_isrss
    }

    /// <summary>Resident pages of this process, from /proc/self/statm.</summary>
    private static long ResidentPages() => long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    [DllImport("libc.so.6")]
    private static extern int getrusage(int who, [Out] long[] usage);
}

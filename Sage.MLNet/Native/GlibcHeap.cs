using System.Runtime.InteropServices;

namespace Sage.MLNet.Native;

/// <summary>
/// Keeps memory that a training step frees in the C heap for the next step, on Linux with glibc, instead of handing it
/// back to the kernel and faulting it in again, zero-filled, a page at a time.
/// </summary>
/// <remarks>
/// libtorch's CPU tensors come from malloc. A training step allocates and frees its activations (tens to hundreds of MB)
/// every step; glibc returns the freed top of its heap to the kernel once it passes the trim threshold (a few MB by
/// default) and serves large blocks by mmap, so each step pays some thousands of page faults (about 4 % of a step on
/// two cores). While training, <see cref="RetainFreedMemory"/> raises the mmap threshold to glibc's own ceiling (32 MiB)
/// and the trim threshold above a step's working set; disposing it sets the trim threshold to 64 MiB (the ceiling of
/// glibc's own adaptive value) and trims the heap. Peak memory is unchanged: the step needs that memory anyway.
/// Elsewhere (another C library, another OS) it does nothing.
/// </remarks>
internal static class GlibcHeap
{
    private const int TrimThreshold = -1;           // M_TRIM_THRESHOLD
    private const int TopPad = -2;                  // M_TOP_PAD
    private const int MmapThreshold = -3;           // M_MMAP_THRESHOLD
    private const int MmapCeiling = 32 << 20;       // glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
    private const int TrainingTrim = 1 << 30;
    private const int AfterTrim = 64 << 20;         // 2 × the mmap ceiling, as glibc's adaptive trim threshold reaches
    private const int TrainingTopPad = 64 << 20;    // a thread arena's heap size: an emptied heap is kept, not unmapped
    private const int DefaultTopPad = 128 << 10;

    private static readonly Lazy<bool> s_isGlibc = new(() =>
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return gnu_get_libc_version() != IntPtr.Zero;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;          // musl or another C library
        }
    });

    /// <summary>Makes freed C-heap memory stay in the process until the returned value is disposed; null where the C library is not glibc.</summary>
    public static Retention? RetainFreedMemory()
    {
        if (!s_isGlibc.Value)
        {
            return null;
        }
        _ = mallopt(MmapThreshold, MmapCeiling);
        _ = mallopt(TrimThreshold, TrainingTrim);
        _ = mallopt(TopPad, TrainingTopPad);
        return new Retention();
    }

    /// <summary>Lowers the trim threshold again and gives the heap's free top back to the kernel when disposed.</summary>
    internal sealed class Retention : IDisposable
    {
        public void Dispose()
        {
            _ = mallopt(TopPad, DefaultTopPad);
            _ = mallopt(TrimThreshold, AfterTrim);
            _ = malloc_trim(0);
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc.so.6", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr gnu_get_libc_version();
}

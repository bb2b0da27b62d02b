using System.Globalization;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>What /proc/cpuinfo says of this machine, so that throughput can be read against its FP32 peak.</summary>
internal static class Machine
{
    // Zen 3 and Zen 4 both retire two 256-bit FMAs per cycle (Zen 4 runs AVX-512 as two halves): 2 × 8 lanes × 2 FLOP.
    private const int FlopsPerCycle = 32;

    /// <summary>Returns e.g. "AMD EPYC, family 25 model 1, 2 cores at 2,445 MHz, AVX-512: no".</summary>
    public static string Describe()
    {
        var (model, family, number, megahertz, avx512) = Read();
        return $"{model}, family {family} model {number}, {Environment.ProcessorCount} cores at {megahertz:N0} MHz, AVX-512: {(avx512 ? "yes" : "no")}";
    }

    /// <summary>Returns the load averages of /proc/loadavg, e.g. "load 2.10 1.85 1.40 (1, 5, 15 min)": the machine is shared, so each number needs it.</summary>
    public static string Load() => $"load {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} (1, 5, 15 min)";

    /// <summary>Returns cores × 32 FLOP/cycle × the clock /proc/cpuinfo reports, in GFLOP/s (turbo can exceed it a little).</summary>
    public static double PeakGflops() => Environment.ProcessorCount * FlopsPerCycle * Read().MegaHertz / 1000;

    private static (string Model, string Family, string Number, double MegaHertz, bool Avx512) Read()
    {
        var fields = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        string Field(string name) => fields.GetValueOrDefault(name, "?");
        var megahertz = double.TryParse(Field("cpu MHz"), CultureInfo.InvariantCulture, out var mhz) ? mhz : double.NaN;
        return (Field("model name"), Field("cpu family"), Field("model"), megahertz, Field("flags").Split(' ').Contains("avx512f"));
    }
}

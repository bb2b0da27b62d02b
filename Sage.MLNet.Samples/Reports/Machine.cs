using System.Globalization;

namespace Sage.MLNet.Samples.Reports;

/// <summary>What /proc/cpuinfo and /proc/loadavg say of this machine, printed with every benchmark number.</summary>
internal static class Machine
{
    /// <summary>Returns e.g. "AMD EPYC, family 25 model 1, 2 cores at 2,445 MHz, AVX-512: no".</summary>
    public static string Describe()
    {
        var (model, family, number, megahertz, avx512) = Read();
        return $"{model}, family {family} model {number}, {Environment.ProcessorCount} cores at {megahertz:N0} MHz, AVX-512: {(avx512 ? "yes" : "no")}";
    }

    /// <summary>Returns the load averages of /proc/loadavg, e.g. "load 2.10 1.85 1.40 (1, 5, 15 min)": the machine is shared, so each number needs it.</summary>
    public static string Load() => $"load {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} (1, 5, 15 min)";

    private static (string Model, string Family, string Number, double MegaHertz, bool Avx512) Read()
    {
        var fields = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0)
            .Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        string Field(string name) => fields.GetValueOrDefault(name, "?");
        var megahertz = double.TryParse(Field("cpu MHz"), CultureInfo.InvariantCulture, out var mhz) ? mhz : double.NaN;
        return (Field("model name"), Field("cpu family"), Field("model"), megahertz, Field("flags").Split(' ').Contains("avx512f"));
    }
}

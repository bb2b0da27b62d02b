using System.Diagnostics;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Wall-clock timing of one action.</summary>
internal static class Timed
{
    /// <summary>Runs <paramref name="action"/> once and returns the wall-clock seconds it took.</summary>
    public static double Seconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}

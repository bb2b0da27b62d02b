using System.Globalization;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Repeated measurements of one rate: the median and the range, since this machine is shared and noisy.</summary>
internal sealed class Spread
{
    private readonly List<double> _values = [];

    /// <summary>Adds one measurement.</summary>
    public void Add(double value) => _values.Add(value);

    /// <summary>The middle measurement (the mean of the two middle ones for an even count).</summary>
    public double Median
    {
        get
        {
            var sorted = _values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }

    /// <summary>The smallest measurement.</summary>
    public double Min => _values.Min();

    /// <summary>The largest measurement.</summary>
    public double Max => _values.Max();

    /// <summary>Formats as "median (min–max)" with <paramref name="format"/>, e.g. "183 (171–190)".</summary>
    public string ToString(string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)})");

    /// <summary>Formats as "median (min–max)" with no decimals.</summary>
    public override string ToString() => ToString("F0");
}

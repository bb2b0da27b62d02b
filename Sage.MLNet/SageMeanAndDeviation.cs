namespace Sage.MLNet;

/// <summary>Holds a quantity measured over several seeds: its mean and its sample standard deviation (0 for one seed).</summary>
/// <param name="Mean">The mean over seeds.</param>
/// <param name="StandardDeviation">The sample standard deviation over seeds (divided by n − 1), 0 for a single seed.</param>
/// <param name="Count">How many seeds gave a value.</param>
public sealed record SageMeanAndDeviation(double Mean, double StandardDeviation, int Count)
{
    /// <summary>Returns the mean and sample standard deviation of <paramref name="values"/>.</summary>
    /// <param name="values">One value per seed; at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static SageMeanAndDeviation Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("at least one value is needed", nameof(values));
        }
        var mean = values.Average();
        var deviation = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new SageMeanAndDeviation(mean, deviation, values.Count);
    }

    /// <summary>Returns "mean ± sd" with three decimals.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean:F3} ± {StandardDeviation:F3}");
}

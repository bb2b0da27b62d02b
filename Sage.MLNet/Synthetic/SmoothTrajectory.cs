namespace Sage.MLNet.Synthetic;

/// <summary>Makes slowly varying label trajectories in [−1, 1], as valence and arousal drift in real videos.</summary>
internal static class SmoothTrajectory
{
    /// <summary>Returns <paramref name="frames"/> values: three slow sinusoids (periods of 2 to 20 s) rescaled so the largest magnitude is 0.6 to 0.95.</summary>
    public static double[] Create(Random random, int frames, double framesPerSecond)
    {
        var components = Components(random, u => framesPerSecond * (2 + u * 18));
        var values = Enumerable.Range(0, frames).Select(t => Sum(components, t)).ToArray();
        // Rescaling rather than dividing by the weights makes even a short video span most of the range,
        // so both strong and weak expressions occur in every video.
        var peak = values.Max(Math.Abs);
        var scale = (0.6 + 0.35 * random.NextDouble()) / Math.Max(peak, 1e-9);
        return [.. values.Select(v => v * scale)];
    }

    /// <summary>Returns <paramref name="frames"/> values: three slow sinusoids (periods of 60 to 660 frames) as a weighted mean, scaled into [−0.9, 0.9].</summary>
    public static double[] CreateInFrames(Random random, int frames)
    {
        var components = Components(random, u => 60 + u * 600);
        var total = components.Sum(c => c.Weight);
        return [.. Enumerable.Range(0, frames).Select(t => 0.9 * Sum(components, t) / total)];
    }

    /// <summary>Draws three sinusoids: period (from one uniform draw through <paramref name="period"/>), phase and weight each.</summary>
    private static (double Period, double Phase, double Weight)[] Components(Random random, Func<double, double> period) =>
        [.. Enumerable.Range(0, 3).Select(_ => (Period: period(random.NextDouble()), Phase: random.NextDouble() * 2 * Math.PI, Weight: 0.2 + random.NextDouble()))];

    private static double Sum((double Period, double Phase, double Weight)[] components, int t) =>
        components.Sum(c => c.Weight * Math.Sin(2 * Math.PI * t / c.Period + c.Phase));
}

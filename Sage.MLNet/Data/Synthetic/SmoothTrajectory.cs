namespace Sage.MLNet.Data.Synthetic;

/// <summary>Makes slowly varying label trajectories in [−1, 1], as valence and arousal drift in real videos.</summary>
internal static class SmoothTrajectory
{
    /// <summary>Returns <paramref name="frames"/> values: three slow sinusoids (periods of 2 to 20 s) rescaled so the largest magnitude is 0.6 to 0.95.</summary>
    public static double[] Create(Random random, int frames, double framesPerSecond)
    {
        var components = Enumerable.Range(0, 3)
            .Select(_ => (Period: framesPerSecond * (2 + random.NextDouble() * 18), Phase: random.NextDouble() * 2 * Math.PI, Weight: 0.2 + random.NextDouble()))
            .ToArray();
        var values = Enumerable.Range(0, frames)
            .Select(t => components.Sum(c => c.Weight * Math.Sin(2 * Math.PI * t / c.Period + c.Phase)))
            .ToArray();
        // Rescaling rather than dividing by the weights makes even a short video span most of the range,
        // so both strong and weak expressions occur in every video.
        var peak = values.Max(Math.Abs);
        var scale = (0.6 + 0.35 * random.NextDouble()) / Math.Max(peak, 1e-9);
        return [.. values.Select(v => v * scale)];
    }
}

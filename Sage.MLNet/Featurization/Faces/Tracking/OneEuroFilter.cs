namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// The One Euro filter (Casiez, Roussel and Vogel, CHI 2012) over a vector of values: a low-pass filter whose cut-off
/// rises with speed, so a still face's crop does not jitter and a moving face's crop does not lag far behind.
/// </summary>
/// <param name="minCutoff">The cut-off at rest, in Hz: lower is steadier.</param>
/// <param name="beta">How much the cut-off rises per unit of speed (values per second): higher lags less.</param>
internal sealed class OneEuroFilter(double minCutoff, double beta)
{
    private const double DerivativeCutoff = 1.0;

    private double[]? _value;
    private double[]? _derivative;
    private double _time;

    /// <summary>Filters the values of one frame at time <paramref name="time"/> (seconds, increasing) in place.</summary>
    public void Apply(Span<float> values, double time)
    {
        if (_value is null || _derivative is null)
        {
            _value = [.. values.ToArray().Select(v => (double)v)];
            _derivative = new double[values.Length];
            _time = time;
            return;
        }
        // A frame time that does not increase (a broken timestamp) is treated as one frame at 30 per second.
        var dt = time > _time ? time - _time : 1.0 / 30;
        _time = time;
        var alphaDerivative = Alpha(DerivativeCutoff, dt);
        for (var i = 0; i < values.Length; i++)
        {
            var derivative = (values[i] - _value[i]) / dt;
            _derivative[i] += alphaDerivative * (derivative - _derivative[i]);
            var alpha = Alpha(minCutoff + beta * Math.Abs(_derivative[i]), dt);
            _value[i] += alpha * (values[i] - _value[i]);
            values[i] = (float)_value[i];
        }
    }

    private static double Alpha(double cutoff, double dt)
    {
        var tau = 1.0 / (2 * Math.PI * cutoff);
        return 1.0 / (1.0 + tau / dt);
    }
}

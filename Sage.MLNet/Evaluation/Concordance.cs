namespace Sage.MLNet.Evaluation;

/// <summary>
/// Streams pairs (prediction, truth) and gives their concordance correlation coefficient (paper eq. 15):
/// CCC = 2·cov(x, y) / (var(x) + var(y) + (mean(x) − mean(y))²).
/// </summary>
/// <remarks>
/// Variances and covariance are population moments (divided by N, not N − 1), as in the ABAW
/// evaluation code, which uses numpy's default ddof = 0. Moments are updated in double precision with
/// Welford's method so millions of frames lose no accuracy. When the denominator is 0 (both series
/// constant and equal, or no data) the CCC is undefined and reported as 0.
/// </remarks>
internal sealed class Concordance
{
    private long _count;
    private double _meanX;
    private double _meanY;
    private double _m2X;        // Σ (x − mean x)²
    private double _m2Y;        // Σ (y − mean y)²
    private double _coMoment;   // Σ (x − mean x)(y − mean y)

    public long Count => _count;

    public void Add(double prediction, double truth)
    {
        _count++;
        var dx = prediction - _meanX;
        _meanX += dx / _count;
        var dy = truth - _meanY;
        _meanY += dy / _count;
        _m2X += dx * (prediction - _meanX);
        _m2Y += dy * (truth - _meanY);
        _coMoment += dx * (truth - _meanY);
    }

    public double Value
    {
        get
        {
            if (_count == 0)
            {
                return 0;
            }
            var varX = _m2X / _count;
            var varY = _m2Y / _count;
            var meanGap = _meanX - _meanY;
            var denominator = varX + varY + meanGap * meanGap;
            return denominator == 0 ? 0 : 2 * (_coMoment / _count) / denominator;
        }
    }
}

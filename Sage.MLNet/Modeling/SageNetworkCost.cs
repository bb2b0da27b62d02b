namespace Sage.MLNet.Modeling;

/// <summary>
/// Counts the floating-point operations of a <see cref="SageNetwork"/> per frame, from its sizes, so
/// benchmarks can report throughput as a share of the machine's peak.
/// </summary>
internal static class SageNetworkCost
{
    /// <summary>Forward-pass FLOPs per frame of a full clip (one multiply-add counted as two).</summary>
    public static double ForwardFlopsPerFrame(SageNetworkConfig c)
    {
        double Tcn(int input)
        {
            double macs = 0;
            for (var level = 0; level < c.TcnLevels; level++)
            {
                var inChannels = level == 0 ? input : c.TcnChannels;
                macs += (double)inChannels * c.TcnChannels * c.TcnKernelSize           // first convolution
                    + (double)c.TcnChannels * c.TcnChannels * c.TcnKernelSize          // second convolution
                    + (inChannels == c.TcnChannels ? 0 : (double)inChannels * c.TcnChannels);   // 1×1 skip
            }
            return macs;
        }

        double d = c.FusedSize;
        var attention = 4 * d * d + 2 * (double)c.WindowLength * d;                    // projections; Q·Kᵀ and α·V
        var feedForward = 2 * d * c.FeedForwardSize;
        var macsPerFrame = Tcn(c.VisualFeatureSize) + Tcn(c.AudioFeatureSize)
            + d                                                                         // fusion logit
            + c.TransformerLayers * (attention + feedForward)
            + d * c.HeadHiddenSize + 2.0 * c.HeadHiddenSize;
        return 2 * macsPerFrame;
    }

    /// <summary>Training FLOPs per frame: the forward pass and a backward pass of about twice its cost.</summary>
    public static double TrainingFlopsPerFrame(SageNetworkConfig config) => 3 * ForwardFlopsPerFrame(config);
}

namespace Sage.MLNet.Samples.Live;

/// <summary>Moves frames from a live source into a live predictor: the one loop both <c>live</c> and <c>serve</c>'s <c>/live</c> run.</summary>
internal static class LivePump
{
    /// <summary>
    /// Pushes every frame <paramref name="source"/> gives into <paramref name="predictor"/> until the source ends or, with
    /// <paramref name="maxSeconds"/>, that much stream has been pushed. A frame whose time is not later than the previous
    /// one's is left out (its audio goes with the next frame). Does not complete the predictor.
    /// </summary>
    /// <returns>How many frames were left out for their times, and the last pushed frame's time (−∞ when none).</returns>
    public static (int SkippedTimes, double LastTime) Run(FFMpegLiveSource source, SageLivePredictor predictor, double? maxSeconds = null)
    {
        var skippedTimes = 0;
        var last = double.NegativeInfinity;
        while (source.Next())
        {
            var audio = source.TakeAudio();
            if (source.Time <= last)
            {
                skippedTimes++;
                continue;
            }
            last = source.Time;
            predictor.Push(source.Time, source.Rgba, source.Width, source.Height, audio);
            if (maxSeconds is { } limit && source.Time - source.FirstTime >= limit)
            {
                break;
            }
        }
        return (skippedTimes, last);
    }
}

using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Live;

/// <summary>Rejects out-of-range <see cref="SageLiveOptions"/> when a live predictor is opened, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class LiveOptionsCheck
{
    /// <summary>Checks what needs no model.</summary>
    public static void Validate(SageLiveOptions o)
    {
        Require(o.LookaheadFrames >= 0, o.LookaheadFrames, nameof(o.LookaheadFrames), "must not be negative");
        Positive(o.RecomputeEveryFrames, nameof(o.RecomputeEveryFrames));
        Positive(o.QueueCapacity, nameof(o.QueueCapacity));
        Positive(o.DetectEveryFrames, nameof(o.DetectEveryFrames));
        Require(o.FramesPerSecond is null || (o.FramesPerSecond > 0 && double.IsFinite(o.FramesPerSecond.Value)), o.FramesPerSecond,
            nameof(o.FramesPerSecond), "must be null (the frames' own times) or a positive number of frames per second");
        Require(o.ContextFrames is null or >= 1, o.ContextFrames, nameof(o.ContextFrames), "must be null (the model's window) or positive");
    }

    /// <summary>Checks the lookahead against the window the network sees: <paramref name="window"/> frames.</summary>
    public static void Validate(SageLiveOptions o, int window) =>
        Require(o.LookaheadFrames < window, o.LookaheadFrames, nameof(o.LookaheadFrames),
            $"must be less than the window the network sees ({window} frames), or a frame would leave the window before its result");
}

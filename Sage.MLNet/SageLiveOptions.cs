namespace Sage.MLNet;

/// <summary>Settings of a <see cref="SageLivePredictor"/>: how far it looks ahead, how often it reruns the network, how much it queues.</summary>
/// <remarks>
/// <see cref="SageModel.OpenLive"/> copies the values when it is called; changing this object later changes nothing.
/// The delay of a frame's result is about <see cref="LookaheadFrames"/> frame intervals, plus up to
/// <see cref="RecomputeEveryFrames"/> − 1 more, plus the time the network takes on one window.
/// </remarks>
public sealed class SageLiveOptions
{
    /// <summary>
    /// The default <see cref="LookaheadFrames"/>: 8 frames (0.32 s at 25 fps), so that a result reaches a person within half a
    /// second of the frame even when the frames come in pieces (a browser's recorder); the README's "Live" section has the
    /// measured agreement with offline results against the lookahead (the demo model: CCC 0.980 valence, 0.993 arousal at 8).
    /// </summary>
    public const int DefaultLookaheadFrames = 8;

    /// <summary>Gets or sets how many frames after frame t must have arrived before t's result is given, in frames. Default: <see cref="DefaultLookaheadFrames"/>.</summary>
    /// <remarks>The network is non-causal (its TCN looks both ways, its Transformer sees the whole clip), so a result given
    /// with no lookahead is computed at the edge of its window; more lookahead is closer to the offline result and later.</remarks>
    public int LookaheadFrames { get; set; } = DefaultLookaheadFrames;

    /// <summary>Gets or sets how often the network reruns on the latest window, in frames: at most once every this many frames. Default: 2.</summary>
    /// <remarks>While frames wait in the queue the predictor reruns less often (up to once a second), so it catches up instead of dropping.</remarks>
    public int RecomputeEveryFrames { get; set; } = 2;

    /// <summary>Gets or sets how many pushed frames may wait for the predictor, in frames. Default: 8.</summary>
    /// <remarks>When the queue is full the oldest waiting frame's image is dropped (its audio is kept): the freshest frames
    /// win, so the delay stays bounded when the machine falls behind. A dropped frame still gets a result, marked
    /// <see cref="SageLiveResult.Dropped"/>, computed with the previous frame's face.</remarks>
    public int QueueCapacity { get; set; } = 8;

    /// <summary>Gets or sets how often faces are detected, in frames: every this many frames, with the tracks holding their pose in between. Default: 1 (every frame, as the offline extraction does by default).</summary>
    /// <remarks>Detection is the costliest step of a frame after the face encoder, but skipping it moves the crops of a moving
    /// face: on the demo model, detecting every 2nd or 4th frame lowered the arousal CCC against offline from 0.99 to 0.89 at
    /// a 12-frame lookahead (README, "Live"). Between detections the detector still runs at once whenever a track is missed
    /// or none is followed.</remarks>
    public int DetectEveryFrames { get; set; } = 1;

    /// <summary>Gets or sets the stream's frame rate, in frames per second; null estimates it from the first two frames' times. Default: null.</summary>
    /// <remarks>It sets the span of audio each frame summarises (one frame interval), as the video's frame rate does offline.</remarks>
    public double? FramesPerSecond { get; set; }

    /// <summary>Gets or sets how many frames before the newest the network sees, in frames; null takes the model's clip length (WindowLength, 300 by default). Default: null.</summary>
    public int? ContextFrames { get; set; }

    /// <summary>Gets or sets a map from encoder paths as saved in the model to where those files are on this machine; null when they have not moved. Default: null.</summary>
    public IReadOnlyDictionary<string, string>? EncoderPaths { get; set; }

    /// <summary>Gets or sets whether a predictor with frames waiting reruns the network less often to catch up (true), or keeps to <see cref="RecomputeEveryFrames"/> (false: every result has exactly the lookahead it would have in real time; tests that push a recording faster than real time measure agreement so).</summary>
    internal bool CatchUp { get; set; } = true;

    internal SageLiveOptions Copy() => (SageLiveOptions)MemberwiseClone();
}

namespace Sage.MLNet.Export;

/// <summary>
/// The graph values that say how a video of T frames is cut into W clips of L frames (<see cref="Data.ClipPlan"/>).
/// </summary>
/// <remarks>
/// Only a video shorter than a clip has padding, and then it has a single clip: so the first n = min(T, L)
/// positions of every clip are real frames and the rest are padding. Everything after the TCNs runs on those
/// n positions only; the TCNs also compute the padding, because their convolutions read it.
/// </remarks>
/// <param name="Frames">T, an int64 scalar</param>
/// <param name="Starts">[W] int64, the first frame of each clip</param>
/// <param name="FrameIndex">[W, L] int64, the frame at each clip position (T or more on padding)</param>
/// <param name="Length">n = min(T, L), an int64 scalar: the real frames in each clip</param>
internal sealed record SageOnnxClipPlan(string Frames, string Starts, string FrameIndex, string Length);

namespace Sage.MLNet;

/// <summary>One frame of a live stream, scored: its time, valence, arousal and reliability, whether it had a face, and how late it came.</summary>
/// <param name="Frame">The frame's number: 0 for the first frame pushed, counting dropped frames.</param>
/// <param name="Time">The frame's time as pushed, in seconds.</param>
/// <param name="Valence">The predicted valence, in [−1, 1].</param>
/// <param name="Arousal">The predicted arousal, in [−1, 1].</param>
/// <param name="Reliability">The fusion weight α·n of the frame in its window (1: the window's average frame).</param>
/// <param name="FaceFound">Whether a face crop of this frame was encoded (false: the nearest earlier face stands in).</param>
/// <param name="Dropped">Whether the frame's image was dropped because the predictor had fallen behind (its values come from its neighbours).</param>
/// <param name="Delay">The time from the frame's push to this result.</param>
public sealed record SageLiveResult(int Frame, double Time, float Valence, float Arousal, float Reliability, bool FaceFound, bool Dropped, TimeSpan Delay);

namespace Sage.MLNet;

/// <summary>Describes one stretch of a video in which one modality was corrupted (or, in a synthetic copy, is unreliable).</summary>
/// <param name="VideoId">The video row's id.</param>
/// <param name="FirstFrame">The stretch's first frame, counted from 0.</param>
/// <param name="LastFrame">The stretch's last frame, included.</param>
/// <param name="Modality">The modality that is corrupted.</param>
/// <param name="Condition">What was done to it, as written in the ground-truth file: occluded, blurred, dropped, silent, noise, other_video (or the synthetic copy's own conditions).</param>
public sealed record SageCorruptedStretch(string VideoId, int FirstFrame, int LastFrame, SageModality Modality, string Condition);

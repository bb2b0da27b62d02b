namespace Sage.MLNet.Samples.Workflow;

/// <summary>A stretch of a synthetic video in which one modality does not follow the labels.</summary>
/// <param name="FirstFrame">The stretch's first frame, counted from 0.</param>
/// <param name="LastFrame">Its last frame, included.</param>
/// <param name="Modality">The unreliable modality: "face" or "audio".</param>
/// <param name="Condition">What happened to it: occluded, blurred, silent, noise or other_speaker.</param>
internal sealed record UnreliableStage(int FirstFrame, int LastFrame, string Modality, string Condition);

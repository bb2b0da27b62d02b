namespace Sage.MLNet.Samples.Workflow;

/// <summary>One frame of a predicted video, as <c>predict</c> writes it and <c>serve</c> answers it.</summary>
/// <param name="Frame">The frame's index, 0-based, in decoding order.</param>
/// <param name="Time">When the frame is shown, in seconds from the start of the video.</param>
/// <param name="Valence">Predicted valence in [−1, 1].</param>
/// <param name="Arousal">Predicted arousal in [−1, 1].</param>
/// <param name="Reliability">The fusion weight of the frame (1 = its clip's average frame).</param>
/// <param name="Face">Whether a face was found in the frame; where not, the features came from the nearest earlier face.</param>
internal sealed record FramePrediction(int Frame, double Time, float Valence, float Arousal, float Reliability, bool Face);

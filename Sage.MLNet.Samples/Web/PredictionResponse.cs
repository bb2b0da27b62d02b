using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Web;

/// <summary>The JSON body of a successful <c>POST /predict</c>.</summary>
/// <param name="Frames">One entry per frame: frame, time (s), valence, arousal, reliability, face.</param>
/// <param name="FaceFrames">How many frames had a face.</param>
/// <param name="Seconds">The video's length in seconds.</param>
/// <param name="Audio">Whether the video had an audio track; false: it was scored with zero audio features (<c>serve --missing-audio zeros</c>).</param>
internal sealed record PredictionResponse(IReadOnlyList<FramePrediction> Frames, int FaceFrames, double Seconds, bool Audio);

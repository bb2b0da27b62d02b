namespace Sage.MLNet.Samples.Workflow;

/// <summary>A whole video predicted frame by frame, with where its face crops are.</summary>
/// <param name="VideoId">The video's name, for titles.</param>
/// <param name="Frames">One prediction per frame, in order.</param>
/// <param name="Seconds">The video's length: the last frame's time plus one frame's duration.</param>
/// <param name="FaceFolder">The folder of the crops that were featurised (<c>00001.jpg</c> = frame 0).</param>
/// <param name="HasAudio">Whether the video had an audio track; false: it was scored with zero audio features.</param>
internal sealed record VideoPrediction(string VideoId, IReadOnlyList<FramePrediction> Frames, double Seconds, string FaceFolder, bool HasAudio = true)
{
    /// <summary>Gets the number of frames in which a face was found.</summary>
    public int FaceFrames => Frames.Count(frame => frame.Face);
}

namespace Sage.MLNet.Data.Synthetic;

/// <summary>A stretch of frames, both ends included and counted from 0, in which one modality is unreliable.</summary>
internal sealed record ReliabilityStage(int FirstFrame, int LastFrame, SyntheticDegradation Degradation)
{
    /// <summary>Returns whether the face (rather than the audio) is the unreliable modality.</summary>
    public bool IsFace => Degradation is SyntheticDegradation.FaceOccluded or SyntheticDegradation.FaceBlurred;

    /// <summary>Returns whether <paramref name="frame"/> lies in the stage.</summary>
    public bool Contains(int frame) => frame >= FirstFrame && frame <= LastFrame;
}

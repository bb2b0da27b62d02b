namespace Sage.MLNet;

/// <summary>What <see cref="SageAudioFeaturizerTransformer"/> does with a video that has no audio track.</summary>
public enum SageMissingAudioPolicy
{
    /// <summary>Fails the row with an <see cref="System.IO.InvalidDataException"/> that names the video.</summary>
    Error,

    /// <summary>Gives the row T × Da zeros, as if every frame's features were 0.</summary>
    Zeros,
}

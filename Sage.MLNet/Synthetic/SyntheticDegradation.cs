namespace Sage.MLNet.Synthetic;

/// <summary>How one modality is made unreliable during a stage of a synthetic video.</summary>
internal enum SyntheticDegradation
{
    /// <summary>A uniform grey box covers the face.</summary>
    FaceOccluded,

    /// <summary>The face is blurred until eyes and mouth are gone.</summary>
    FaceBlurred,

    /// <summary>The audio is silent.</summary>
    AudioSilent,

    /// <summary>The audio is white noise that does not follow the labels.</summary>
    AudioNoise,

    /// <summary>The audio follows the other person of a <c>_left</c>/<c>_right</c> pair.</summary>
    AudioOtherSpeaker,
}

namespace Sage.MLNet;

/// <summary>Selects what <see cref="SageMediaCorruption.Apply"/> does to the picture or the sound inside each corrupted stretch.</summary>
public enum SageCorruptionKind
{
    /// <summary>Covers a share of each face crop (<see cref="SageCorruption.Intensity"/>, default 0.5 of its area) with a uniform grey patch, placed at random once per stretch.</summary>
    FaceOcclusion = 0,

    /// <summary>Blurs each face crop with a Gaussian whose standard deviation is <see cref="SageCorruption.Intensity"/> times the crop's width (default 0.1).</summary>
    FaceBlur = 1,

    /// <summary>Removes the face crop, as where a detector found no face; the featurizer then repeats the nearest earlier crop and sets FaceFound to 0.</summary>
    FaceDrop = 2,

    /// <summary>Replaces the sound with silence.</summary>
    AudioSilence = 3,

    /// <summary>Adds white Gaussian noise at a signal-to-noise ratio of <see cref="SageCorruption.Intensity"/> dB (default 0 dB) against the power of the video's whole track.</summary>
    AudioNoise = 4,

    /// <summary>Replaces the sound with another video's sound at the same times: plausible, but following someone else's labels.</summary>
    AudioOtherVideo = 5,
}

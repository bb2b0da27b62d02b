namespace Sage.MLNet;

/// <summary>Which packaged MediaPipe BlazeFace model finds the faces.</summary>
public enum SageFaceDetectorModel
{
    /// <summary>The 256 × 256 full-range model: faces from close up to a few metres away (the default).</summary>
    BlazeFaceFullRange,

    /// <summary>The 128 × 128 front-camera model: about four times faster, for faces that fill much of the frame (selfie distance).</summary>
    BlazeFaceShortRange,
}

namespace Sage.MLNet;

/// <summary>What face extraction does with a video in which no face is ever found.</summary>
public enum SageNoFacePolicy
{
    /// <summary>Reading the row fails with an error that names the video file (the default).</summary>
    Error,

    /// <summary>The row gets an empty face folder and FaceFound all 0; downstream, <see cref="SageFaceFeaturizerOptions.EmptyFolderIsError"/> decides.</summary>
    Empty,
}

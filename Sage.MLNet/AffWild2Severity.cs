namespace Sage.MLNet;

/// <summary>Grades an <see cref="AffWild2Issue"/>: whether the video can still be used.</summary>
public enum AffWild2Severity
{
    /// <summary>Marks a problem the video survives, such as a missing video file or face crops beyond the annotation.</summary>
    Warning = 0,

    /// <summary>Marks a problem that makes the video (or the whole split, when no video is named) unusable until fixed.</summary>
    Error = 1,
}

namespace Sage.MLNet.Data.AffWild2;

/// <summary>Where one Aff-Wild2 video's files lie; resolved once, read later.</summary>
/// <param name="VideoId">The annotation file's name without <c>.txt</c>, or the test list's name; <c>_left</c>/<c>_right</c> included.</param>
/// <param name="AnnotationFile">The annotation file, or null in the Test split.</param>
/// <param name="FaceFolder">The face-crop folder, or empty when there is none.</param>
/// <param name="VideoFile">The <c>.mp4</c> or <c>.avi</c> file, or empty when there is none.</param>
internal sealed record AffWild2Video(string VideoId, string? AnnotationFile, string FaceFolder, string VideoFile);

using FFMpegCore;
using Sage.MLNet.Media;

namespace Sage.MLNet.Data.AffWild2;

/// <summary>
/// Checks one split of an Aff-Wild2 copy video by video and reports, rather than throws, what is missing
/// or inconsistent: annotation lines, face crops, video files and their frame counts.
/// </summary>
internal static class AffWild2Validator
{
    /// <summary>Malformed lines reported one by one per annotation file; the rest are counted in one more issue.</summary>
    public const int ProblemsPerFile = 10;

    /// <param name="root">A folder that holds the copy somewhere below it.</param>
    /// <param name="split">Which videos to check.</param>
    /// <param name="compareVideoFrameCounts">Whether to probe each video file with ffprobe and compare its frame count with the annotation's rows.</param>
    public static AffWild2ValidationReport Validate(string root, AffWild2Split split, bool compareVideoFrameCounts)
    {
        AffWild2Layout layout;
        IReadOnlyList<AffWild2Video> videos;
        try
        {
            layout = AffWild2Layout.Find(root);
            videos = layout.Videos(split);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return new AffWild2ValidationReport(0, [new AffWild2Issue(null, AffWild2Severity.Error, e.Message)]);
        }
        var issues = new List<AffWild2Issue>();
        var sources = layout.SplitSources(split);
        if (sources.Count > 1)
        {
            issues.Add(new AffWild2Issue(null, AffWild2Severity.Warning,
                $"found {sources.Count} sources for the {split} split; reading '{sources[0]}', ignoring {Quote(sources.Skip(1))}"));
        }
        var frameCounts = compareVideoFrameCounts ? FrameCounts(issues) : null;
        foreach (var video in videos)
        {
            var rows = video.AnnotationFile is null ? null : CheckAnnotation(video, issues);
            CheckFaces(layout, video, rows, issues);
            if (video.VideoFile.Length > 0 && frameCounts is not null)
            {
                CheckFrameCount(video, rows, frameCounts, issues);
            }
            if (video.VideoFile.Length == 0)
            {
                var where = layout.VideoFolderRoots.Count == 0
                    ? $"found no batch1, batch2 or new_vids folder below '{layout.Root}'"
                    : $"looked in {Quote(layout.VideoFolderRoots)}";
                issues.Add(new AffWild2Issue(video.VideoId, AffWild2Severity.Warning,
                    $"no video file {string.Join(" or ", AffWild2Layout.VideoFileNames(video.VideoId))}: {where}; only audio featurisation needs it"));
            }
        }
        return new AffWild2ValidationReport(videos.Count, issues);
    }

    /// <summary>Returns a frame counter that probes each video file once (<c>_left</c> and <c>_right</c> share one), or null with a warning when ffprobe is not installed.</summary>
    private static Func<string, int?, int>? FrameCounts(List<AffWild2Issue> issues)
    {
        FFOptions options;
        try
        {
            options = FFMpegBinaries.Find(binaryFolder: null);
        }
        catch (FileNotFoundException e)
        {
            issues.Add(new AffWild2Issue(null, AffWild2Severity.Warning, $"video frame counts not compared with the annotations: {e.Message}"));
            return null;
        }
        // The header estimate for every file; the decoded count (the one definition of a frame) only where the estimate and
        // the annotation disagree, so a clean copy costs one ffprobe call per video file.
        var estimates = new Dictionary<string, int>(StringComparer.Ordinal);
        var decoded = new Dictionary<string, int>(StringComparer.Ordinal);
        return (file, rows) =>
        {
            if (!estimates.TryGetValue(file, out var estimate))
            {
                estimates[file] = estimate = VideoFrameCount.Estimate(file, options);
            }
            if (rows is not int expected || expected == estimate)
            {
                return estimate;
            }
            if (!decoded.TryGetValue(file, out var frames))
            {
                decoded[file] = frames = VideoFrameCount.Decoded(file, options);
            }
            return frames;
        };
    }

    /// <summary>
    /// Reports a video file ffprobe cannot read (an error: its audio cannot be featurised) and, as a warning, a frame count
    /// that differs from the annotation's <paramref name="rows"/> (null when there are none to compare), saying which frames T leaves out or adds.
    /// </summary>
    private static void CheckFrameCount(AffWild2Video video, int? rows, Func<string, int?, int> frameCounts, List<AffWild2Issue> issues)
    {
        int frames;
        try
        {
            frames = frameCounts(video.VideoFile, rows);
        }
        catch (InvalidDataException e)
        {
            issues.Add(new AffWild2Issue(video.VideoId, AffWild2Severity.Error, $"{e.Message}; its audio cannot be featurised"));
            return;
        }
        if (rows is not int annotated || annotated == frames)
        {
            return;
        }
        var consequence = annotated < frames
            ? $"T follows the annotation, so the video's last {frames - annotated} frames are ignored"
            : $"T follows the annotation, so its last {annotated - frames} rows lie past the video's end: they have no face crop and the audio features of the video's last moment";
        issues.Add(new AffWild2Issue(video.VideoId, AffWild2Severity.Warning,
            $"annotation file '{video.AnnotationFile}' has {annotated} rows but video file '{video.VideoFile}' has {frames} frames (as decoded); {consequence}"));
    }

    /// <summary>Reports the annotation file's malformed lines and returns its number of frame rows, or null when it is malformed.</summary>
    private static int? CheckAnnotation(AffWild2Video video, List<AffWild2Issue> issues)
    {
        var annotation = AnnotationFile.Read(video.AnnotationFile!);
        issues.AddRange(annotation.Problems.Take(ProblemsPerFile)
            .Select(problem => new AffWild2Issue(video.VideoId, AffWild2Severity.Error, annotation.Describe(problem))));
        if (annotation.Problems.Count > ProblemsPerFile)
        {
            issues.Add(new AffWild2Issue(video.VideoId, AffWild2Severity.Error,
                $"annotation file '{annotation.Path}': {annotation.Problems.Count - ProblemsPerFile} more malformed lines"));
        }
        return annotation.Problems.Count == 0 ? annotation.Rows : null;
    }

    /// <summary>Reports missing, empty or doubled face-crop folders, and crops numbered past the annotation's <paramref name="rows"/> (null when there are no rows to compare).</summary>
    private static void CheckFaces(AffWild2Layout layout, AffWild2Video video, int? rows, List<AffWild2Issue> issues)
    {
        // In the Test split the crops give T, so a video without them is unusable.
        var isTest = video.AnnotationFile is null;
        var folders = layout.FaceFolders(video.VideoId);
        if (folders.Count == 0)
        {
            var where = layout.FaceFolderRoots.Count == 0
                ? $"found no cropped_aligned or cropped_aligned_new_50_vids folder below '{layout.Root}'"
                : $"no folder '{video.VideoId}' in {Quote(layout.FaceFolderRoots)}";
            issues.Add(new AffWild2Issue(video.VideoId, AffWild2Severity.Error, $"no face crops: {where}{(isTest ? "; T is 0" : "")}"));
            return;
        }
        if (folders.Count > 1)
        {
            issues.Add(new AffWild2Issue(video.VideoId, AffWild2Severity.Warning,
                $"face crops in {folders.Count} folders; reading '{folders[0]}', ignoring {Quote(folders.Skip(1))}"));
        }
        var highest = FaceCropFolder.HighestIndex(video.FaceFolder);
        if (highest == 0)
        {
            var (severity, consequence) = isTest
                ? (AffWild2Severity.Error, "T is 0")
                : (AffWild2Severity.Warning, "no frame will have a face");
            issues.Add(new AffWild2Issue(video.VideoId, severity,
                $"face-crop folder '{video.FaceFolder}' holds no crop (00001.jpg, ...); {consequence}"));
        }
        else if (rows is not null && highest > rows)
        {
            issues.Add(new AffWild2Issue(video.VideoId, AffWild2Severity.Warning,
                $"face crops go up to {highest:D5}.jpg (frame {highest - 1}) but annotation file '{video.AnnotationFile}' has {rows} rows; crops past frame {rows - 1} are ignored"));
        }
    }

    private static string Quote(IEnumerable<string> paths) => string.Join(", ", paths.Select(path => $"'{path}'"));
}

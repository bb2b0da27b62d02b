using System.Globalization;
using Microsoft.ML;
using Sage.MLNet.Tests.Featurization.Audio;
using Sage.MLNet.Tests.Media;

namespace Sage.MLNet.Tests.Data.AffWild2;

[TestClass]
public sealed class AffWild2ValidatorTests
{
    private const string Header = "valence,arousal";
    private const string Train = "ABAW Annotations/VA_Estimation_Challenge/Train_Set";
    private const string TestList = "names_of_videos_in_each_test_set/Valence_Arousal_Estimation_Challenge_test_set_release.txt";

    private readonly MLContext _ml = new(seed: 1);
    private FakeAffWild2Copy _copy = null!;

    [TestInitialize]
    public void CreateCopy() => _copy = new FakeAffWild2Copy();

    [TestCleanup]
    public void DeleteCopy() => _copy.Dispose();

    [TestMethod]
    public void ValidateAffWild2_CleanCopyWithGapsAndNotAnnotatedFrames_ReportsNothing()
    {
        GoodVideo("video1");
        _copy.File($"{Train}/video2_left.txt", Header, "-5,-5", "1,-1");
        _copy.File($"{Train}/video2_right.txt", Header, "0,0");
        _copy.Crops("cropped_aligned_new_50_vids/video2_left", 2);
        _copy.Crops("cropped_aligned_new_50_vids/video2_right", 1);
        _copy.File("new_vids/video2.avi");

        var report = Validate(AffWild2Split.Train);

        Assert.AreEqual(3, report.VideoCount);
        Assert.IsEmpty(report.Issues, report.ToString());
        Assert.IsFalse(report.HasErrors);
    }

    [TestMethod]
    [DataRow("abc,0.1", "valence 'abc' is not a number")]
    [DataRow("0.1,", "arousal '' is not a number")]
    [DataRow("0.1,0.2,0.3", "'0.1,0.2,0.3' has 3 values; expected 2 (valence,arousal)")]
    [DataRow("0.5", "'0.5' has 1 values")]
    [DataRow("NaN,0.1", "valence is NaN")]
    [DataRow("0.1,1.5", "arousal 1.5 is outside [-1, 1] and is not -5")]
    [DataRow("-4,0", "valence -4 is outside [-1, 1]")]
    public void ValidateAffWild2_BadAnnotationRow_ReportsErrorNamingFileAndLine(string line, string expected)
    {
        var path = GoodVideo("video1", Header, "0.1,0.1", line, "0.2,0.2");

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video1", AffWild2Severity.Error, $"annotation file '{path}', line 3: {expected}");
    }

    [TestMethod]
    public void ValidateAffWild2_MissingHeader_ReportsErrorOnLine1()
    {
        var path = GoodVideo("video1", "0.1,0.2", "0.3,0.4");

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video1", AffWild2Severity.Error, $"annotation file '{path}', line 1: expected the header 'valence,arousal', found '0.1,0.2'");
    }

    [TestMethod]
    public void ValidateAffWild2_BlankLineBetweenRows_ReportsErrorOnTheBlankLine()
    {
        var path = GoodVideo("video1", Header, "0.1,0.1", "", "0.2,0.2");

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video1", AffWild2Severity.Error, $"annotation file '{path}', line 3: is empty but frame rows follow");
    }

    [TestMethod]
    public void ValidateAffWild2_HeaderOnly_ReportsError()
    {
        var path = GoodVideo("video1", Header);

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video1", AffWild2Severity.Error, $"annotation file '{path}', line 1: has the header but no frame rows");
    }

    [TestMethod]
    public void ValidateAffWild2_ManyBadRows_ReportsTenLinesThenACount()
    {
        var path = GoodVideo("video1", [Header, .. Enumerable.Repeat("x,y", 15)]);

        var issues = Validate(AffWild2Split.Train).Issues;

        Assert.HasCount(11, issues);
        for (var i = 0; i < 10; i++)
        {
            AssertIssue(issues[i], "video1", AffWild2Severity.Error, $"line {i + 2}: valence 'x' is not a number");
        }
        AssertIssue(issues[10], "video1", AffWild2Severity.Error, $"annotation file '{path}': 5 more malformed lines");
    }

    [TestMethod]
    public void ValidateAffWild2_NoFaceFolderNoVideoFile_ReportsErrorAndWarning()
    {
        _copy.File($"{Train}/video1.txt", Header, "0,0");
        var faceRoot = _copy.Crops("cropped_aligned");
        var videoRoot = Directory.CreateDirectory(_copy.Path("batch1")).FullName;

        var report = Validate(AffWild2Split.Train);

        Assert.HasCount(2, report.Issues, report.ToString());
        AssertIssue(report.Issues[0], "video1", AffWild2Severity.Error, $"no face crops: no folder 'video1' in '{faceRoot}'");
        AssertIssue(report.Issues[1], "video1", AffWild2Severity.Warning, $"no video file video1.mp4 or video1.avi: looked in '{videoRoot}'; only audio featurisation needs it");
        Assert.IsTrue(report.HasErrors);
    }

    [TestMethod]
    public void ValidateAffWild2_NoFaceOrVideoFolderAnywhere_SaysNoneWasFoundBelowRoot()
    {
        _copy.File($"{Train}/video1_left.txt", Header, "0,0");

        var issues = Validate(AffWild2Split.Train).Issues;

        AssertIssue(issues[0], "video1_left", AffWild2Severity.Error, $"found no cropped_aligned or cropped_aligned_new_50_vids folder below '{_copy.Root}'");
        AssertIssue(issues[1], "video1_left", AffWild2Severity.Warning, "no video file video1_left.mp4 or video1_left.avi or video1.mp4 or video1.avi");
        AssertIssue(issues[1], "video1_left", AffWild2Severity.Warning, $"found no batch1, batch2 or new_vids folder below '{_copy.Root}'");
    }

    [TestMethod]
    public void ValidateAffWild2_EmptyFaceFolderInTrain_ReportsWarning()
    {
        GoodVideo("video1");
        var empty = _copy.Crops("cropped_aligned/video9");
        _copy.File($"{Train}/video9.txt", Header, "0,0");
        _copy.File("batch1/video9.mp4");

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video9", AffWild2Severity.Warning, $"face-crop folder '{empty}' holds no crop (00001.jpg, ...); no frame will have a face");
    }

    [TestMethod]
    public void ValidateAffWild2_MoreCropsThanAnnotationRows_ReportsWarning()
    {
        var path = GoodVideo("video1", Header, "0.1,0.1", "0.2,0.2");
        _copy.Crops("cropped_aligned/video1", 4);

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video1", AffWild2Severity.Warning,
            $"face crops go up to 00004.jpg (frame 3) but annotation file '{path}' has 2 rows; crops past frame 1 are ignored");
    }

    [TestMethod]
    public void ValidateAffWild2_CropsInBothFaceFolders_WarnsAndNamesTheOneRead()
    {
        GoodVideo("video1");
        var second = _copy.Crops("cropped_aligned_new_50_vids/video1", 1);

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video1", AffWild2Severity.Warning,
            $"face crops in 2 folders; reading '{_copy.Path("cropped_aligned/video1")}', ignoring '{second}'");
    }

    [TestMethod]
    public void ValidateAffWild2_BothAnnotationLayouts_WarnsForTheSplitAndNamesTheOneRead()
    {
        GoodVideo("video1");
        var old = _copy.Path("old/VA_Set/Train_Set");
        _copy.File("old/VA_Set/Train_Set/video1.txt", Header, "0,0");

        var issue = Validate(AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, null, AffWild2Severity.Warning, $"reading '{_copy.Path(Train)}', ignoring '{old}'");
    }

    [TestMethod]
    public void ValidateAffWild2_NoAnnotationFolder_ReportsOneErrorNamingRoot()
    {
        GoodVideo("video1");

        var report = Validate(AffWild2Split.Validation);

        Assert.AreEqual(0, report.VideoCount);
        AssertIssue(report.Issues.Single(), null, AffWild2Severity.Error,
            $"Found no Aff-Wild2 annotations for the Validation split below '{_copy.Root}'");
    }

    [TestMethod]
    public void ValidateAffWild2_TestVideosWithoutCrops_ReportErrorsSayingTIsZero()
    {
        _copy.File(TestList, "video1", "video2", "video3");
        _copy.Crops("cropped_aligned/video1", 1, 7);
        var empty = _copy.Crops("cropped_aligned/video2");
        _copy.File("batch1/video1.mp4");
        _copy.File("batch1/video2.mp4");
        _copy.File("batch1/video3.mp4");

        var report = Validate(AffWild2Split.Test);

        Assert.AreEqual(3, report.VideoCount);
        Assert.HasCount(2, report.Issues, report.ToString());
        AssertIssue(report.Issues[0], "video2", AffWild2Severity.Error, $"face-crop folder '{empty}' holds no crop (00001.jpg, ...); T is 0");
        AssertIssue(report.Issues[1], "video3", AffWild2Severity.Error, "no face crops: no folder 'video3' in");
        AssertIssue(report.Issues[1], "video3", AffWild2Severity.Error, "; T is 0");
    }

    [TestMethod]
    [DataRow(10, null)]
    [DataRow(8, "video file '{0}' has 10 frames (as decoded); T follows the annotation, so the video's last 2 frames are ignored")]
    [DataRow(13, "video file '{0}' has 10 frames (as decoded); T follows the annotation, so its last 3 rows lie past the video's end")]
    public void ValidateAffWild2_AnnotationRowsAgainstVideoFrames_WarnsOnlyWhenTheyDiffer(int rows, string? expected)
    {
        using var videos = new TestVideos();
        var video = videos.WithFrames("video1.mp4", 10);
        var annotation = _copy.File($"{Train}/video1.txt", [Header, .. Enumerable.Repeat("0.1,0.2", rows)]);
        _copy.Crops("cropped_aligned/video1", 1);
        Directory.CreateDirectory(_copy.Path("batch1"));
        File.Copy(video, _copy.Path("batch1/video1.mp4"));

        var report = _ml.Data.ValidateAffWild2(_copy.Root, AffWild2Split.Train);

        if (expected is null)
        {
            Assert.IsEmpty(report.Issues, report.ToString());
            return;
        }
        var issue = report.Issues.Single();
        AssertIssue(issue, "video1", AffWild2Severity.Warning, $"annotation file '{annotation}' has {rows} rows but ");
        AssertIssue(issue, "video1", AffWild2Severity.Warning, string.Format(CultureInfo.InvariantCulture, expected, _copy.Path("batch1/video1.mp4")));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(5)]
    public void ValidateAffWild2_HeaderSays50FramesButFewerDecode_ComparesTheDecodedFrames(int extraRows)
    {
        // A 2-second, 25 fps file with its index first, cut after 60% of its bytes: ffprobe's header still says 2 s × 25 = 50
        // frames, ffmpeg decodes fewer, and the decoded ones are what the face and audio featurizers see.
        using var videos = new TestVideos();
        var whole = videos.WithFrames("whole.mp4", 50, "-movflags +faststart");
        var bytes = File.ReadAllBytes(whole);
        Directory.CreateDirectory(_copy.Path("batch1"));
        var video = _copy.Path("batch1/video1.mp4");
        File.WriteAllBytes(video, bytes[..(int)(bytes.Length * 0.6)]);
        var options = Sage.MLNet.Media.FFMpegBinaries.Find(null);
        var decoded = Sage.MLNet.Media.VideoFrameTimes.Read(video, options).Length;
        var rows = decoded + extraRows;
        var annotation = _copy.File($"{Train}/video1.txt", [Header, .. Enumerable.Repeat("0.1,0.2", rows)]);
        _copy.Crops("cropped_aligned/video1", 1);

        var report = _ml.Data.ValidateAffWild2(_copy.Root, AffWild2Split.Train);

        Assert.AreEqual(50, Sage.MLNet.Data.AffWild2.VideoFrameCount.Estimate(video, options), "the header's estimate");
        Assert.IsTrue(decoded is > 0 and < 50, $"{decoded} frames decoded");
        if (extraRows == 0)
        {
            Assert.IsEmpty(report.Issues, report.ToString());
            return;
        }
        var issue = report.Issues.Single();
        AssertIssue(issue, "video1", AffWild2Severity.Warning, $"annotation file '{annotation}' has {rows} rows but ");
        AssertIssue(issue, "video1", AffWild2Severity.Warning,
            $"video file '{video}' has {decoded} frames (as decoded); T follows the annotation, so its last {extraRows} rows lie past the video's end");
    }

    [TestMethod]
    public void ValidateAffWild2_UnreadableVideoFile_ReportsErrorNamingIt()
    {
        GoodVideo("video1");

        var issue = _ml.Data.ValidateAffWild2(_copy.Root, AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video1", AffWild2Severity.Error, $"video file '{_copy.Path("batch1/video1.mp4")}' cannot be read by ffprobe");
        AssertIssue(issue, "video1", AffWild2Severity.Error, "its audio cannot be featurised");
    }

    [TestMethod]
    public void ValidateAffWild2_LeftAndRightOfOneVideo_CompareTheSharedFileWithEachAnnotation()
    {
        using var videos = new TestVideos();
        Directory.CreateDirectory(_copy.Path("new_vids"));
        File.Copy(videos.WithFrames("video2.mp4", 10), _copy.Path("new_vids/video2.mp4"));
        _copy.File($"{Train}/video2_left.txt", [Header, .. Enumerable.Repeat("0,0", 10)]);
        _copy.File($"{Train}/video2_right.txt", [Header, .. Enumerable.Repeat("0,0", 11)]);
        _copy.Crops("cropped_aligned/video2_left", 1);
        _copy.Crops("cropped_aligned/video2_right", 1);

        var issue = _ml.Data.ValidateAffWild2(_copy.Root, AffWild2Split.Train).Issues.Single();

        AssertIssue(issue, "video2_right", AffWild2Severity.Warning, "has 11 rows but video file");
    }

    /// <summary>Writes a Train video with crops 00001-00002 and an .mp4; its annotation is <paramref name="lines"/> or two good rows.</summary>
    private string GoodVideo(string videoId, params string[] lines)
    {
        _copy.Crops($"cropped_aligned/{videoId}", 1, 2);
        _copy.File($"batch1/{videoId}.mp4");
        return _copy.File($"{Train}/{videoId}.txt", lines.Length == 0 ? [Header, "0.1,-0.2", "-5,-5"] : lines);
    }

    /// <summary>Validates without probing videos: the video files of this fake copy are empty placeholders.</summary>
    private AffWild2ValidationReport Validate(AffWild2Split split) => _ml.Data.ValidateAffWild2(_copy.Root, split, compareVideoFrameCounts: false);

    private static void AssertIssue(AffWild2Issue issue, string? videoId, AffWild2Severity severity, string messagePart)
    {
        Assert.AreEqual(videoId, issue.VideoId, issue.ToString());
        Assert.AreEqual(severity, issue.Severity, issue.ToString());
        Assert.Contains(messagePart, issue.Message);
    }
}

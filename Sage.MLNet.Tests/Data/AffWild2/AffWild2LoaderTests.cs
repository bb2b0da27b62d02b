using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Tests.Data.AffWild2;

[TestClass]
public sealed class AffWild2LoaderTests
{
    private const string Header = "valence,arousal";
    private const string NewTrain = "6th_ABAW_Annotations/VA_Estimation_Challenge/Train_Set";
    private const string TestList = "test release/names_of_videos_in_each_test_set/Valence_Arousal_Estimation_Challenge_test_set_release.txt";

    private readonly MLContext _ml = new(seed: 1);
    private FakeAffWild2Copy _copy = null!;

    [TestInitialize]
    public void CreateCopy() => _copy = new FakeAffWild2Copy();

    [TestCleanup]
    public void DeleteCopy() => _copy.Dispose();

    [TestMethod]
    public void LoadAffWild2_NewLayoutUnderTopFolder_ReadsEveryColumn()
    {
        _copy.File($"{NewTrain}/video7.txt", Header, "0.1,0.2", "-5,-5", "0.3,-0.4");
        _copy.File($"{NewTrain}/10-60-1280x720_left.txt", Header, "0.5,0.5", "0.25,-0.25");
        _copy.File($"{NewTrain}/10-60-1280x720_right.txt", Header, "-1,1");
        var video7Faces = _copy.Crops("faces/cropped_aligned/video7", 1, 3);
        var leftFaces = _copy.Crops("faces/cropped_aligned_new_50_vids/10-60-1280x720_left", 2);
        var rightFaces = _copy.Crops("faces/cropped_aligned_new_50_vids/10-60-1280x720_right", 1);
        var video7File = _copy.File("videos/batch1/video7.mp4");
        var sharedFile = _copy.File("videos/new_vids/10-60-1280x720.avi");

        var rows = Load(AffWild2Split.Train);

        Assert.HasCount(3, rows);
        AssertRow(rows[0], "10-60-1280x720_left", leftFaces, sharedFile, [0.5f, 0.25f], [0.5f, -0.25f]);
        AssertRow(rows[1], "10-60-1280x720_right", rightFaces, sharedFile, [-1f], [1f]);
        AssertRow(rows[2], "video7", video7Faces, video7File, [0.1f, -5f, 0.3f], [0.2f, -5f, -0.4f]);
    }

    [TestMethod]
    public void LoadAffWild2_OldVaSetLayout_ReadsValidationSplit()
    {
        _copy.File("Third ABAW Annotations/VA_Set/Train_Set/video1.txt", Header, "0,0");
        _copy.File("Third ABAW Annotations/VA_Set/Validation_Set/video2.txt", Header, "0.5,-0.5", "-5,-5");
        var faces = _copy.Crops("a/b/cropped_aligned/video2", 2);
        var video = _copy.File("a/batch2/video2.avi");

        var rows = Load(AffWild2Split.Validation);

        Assert.HasCount(1, rows);
        AssertRow(rows[0], "video2", faces, video, [0.5f, -5f], [-0.5f, -5f]);
    }

    [TestMethod]
    public void LoadAffWild2_BothLayouts_ReadsVaEstimationChallenge()
    {
        _copy.File("old/VA_Set/Train_Set/old-video.txt", Header, "0,0");
        _copy.File($"deeper/{NewTrain}/new-video.txt", Header, "0,0");

        var rows = Load(AffWild2Split.Train);

        CollectionAssert.AreEqual(new[] { "new-video" }, rows.Select(r => r.VideoId).ToArray());
    }

    [TestMethod]
    public void LoadAffWild2_NoCropsNoVideo_LeavesPathsEmpty()
    {
        _copy.File($"{NewTrain}/video3.txt", Header, "0.1,0.1");
        _copy.Crops("cropped_aligned/another-video", 1);
        _copy.File("batch1/another-video.mp4");

        var row = Load(AffWild2Split.Train).Single();

        AssertRow(row, "video3", "", "", [0.1f], [0.1f]);
    }

    [TestMethod]
    public void LoadAffWild2_MacOsResourceForksAndDotFolders_AreIgnored()
    {
        _copy.File("VA_Set/Train_Set/video1.txt", Header, "0,0");
        _copy.File("VA_Set/Train_Set/._video1.txt", "\u0000binary");
        _copy.File($".trash/{NewTrain}/video2.txt", Header, "0,0");

        var rows = Load(AffWild2Split.Train);

        CollectionAssert.AreEqual(new[] { "video1" }, rows.Select(r => r.VideoId).ToArray());
    }

    [TestMethod]
    public void LoadAffWild2_CrlfAndTrailingBlankLines_ReadsOneRowPerFrame()
    {
        var path = _copy.Path($"{NewTrain}/video4.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "valence,arousal\r\n0.1,0.2\r\n-0.3,0.4\r\n\r\n\r\n");

        var row = Load(AffWild2Split.Train).Single();

        CollectionAssert.AreEqual(new[] { 0.1f, -0.3f }, row.Valence);
        Assert.AreEqual(2, row.FrameCount);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("Valence-Arousal test set")]
    [DataRow("video_name")]
    public void LoadAffWild2_TestSplit_FrameCountIsHighestCropNumber(string? header)
    {
        string[] names = ["", "video12", "", "20-24-1920x1080_right", "video99", "video12", ""];
        _copy.File(TestList, header is null ? names : [header, .. names]);
        var video12Faces = _copy.Crops("cropped_aligned/video12", 1, 2, 5);
        var rightFaces = _copy.Crops("cropped_aligned_new_50_vids/20-24-1920x1080_right", 4);
        var sharedFile = _copy.File("batch2/20-24-1920x1080.mp4");
        _copy.File($"{NewTrain}/video1.txt", Header, "0,0");

        var rows = Load(AffWild2Split.Test);

        Assert.HasCount(3, rows);
        AssertRow(rows[0], "video12", video12Faces, "", [], [], frameCount: 5);
        AssertRow(rows[1], "20-24-1920x1080_right", rightFaces, sharedFile, [], [], frameCount: 4);
        AssertRow(rows[2], "video99", "", "", [], [], frameCount: 0);
    }

    [TestMethod]
    public void LoadAffWild2_Schema_HasTheDocumentedColumnTypes()
    {
        _copy.File($"{NewTrain}/video1.txt", Header, "0,0");

        var schema = _ml.Data.LoadAffWild2(_copy.Root, AffWild2Split.Train).Schema;

        CollectionAssert.AreEqual(new[] { "VideoId", "FaceFolder", "VideoFile", "Valence", "Arousal", "FrameCount" },
            schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(TextDataViewType.Instance, schema["VideoId"].Type);
        Assert.AreEqual(TextDataViewType.Instance, schema["FaceFolder"].Type);
        Assert.AreEqual(TextDataViewType.Instance, schema["VideoFile"].Type);
        foreach (var labels in new[] { "Valence", "Arousal" })
        {
            var type = (VectorDataViewType)schema[labels].Type;
            Assert.AreEqual(NumberDataViewType.Single, type.ItemType);
            Assert.IsFalse(type.IsKnownSize);
        }
        Assert.AreEqual(NumberDataViewType.Int32, schema["FrameCount"].Type);
    }

    [TestMethod]
    public void LoadAffWild2_AnnotationRewrittenAfterLoad_RowReadsTheFileWhenReached()
    {
        var path = _copy.File($"{NewTrain}/video1.txt", Header, "0.1,0.1");
        var data = _ml.Data.LoadAffWild2(_copy.Root, AffWild2Split.Train);

        File.WriteAllLines(path, [Header, "0.7,0.7", "0.8,0.8"]);
        var row = Rows(data).Single();

        CollectionAssert.AreEqual(new[] { 0.7f, 0.8f }, row.Valence);
        Assert.AreEqual(2, row.FrameCount);
    }

    [TestMethod]
    public void LoadAffWild2_MalformedAnnotation_ThrowsAtLoadNamingFileAndLine()
    {
        _copy.File($"{NewTrain}/a-good-video.txt", Header, "0,0");
        var path = _copy.File($"{NewTrain}/video5.txt", Header, "0.1,0.2", "0.1,0.2,0.3", "x,0");

        var error = Assert.ThrowsExactly<InvalidDataException>(() => _ml.Data.LoadAffWild2(_copy.Root, AffWild2Split.Train));

        Assert.Contains($"annotation file '{path}', line 3:", error.Message);
        Assert.Contains("has 3 values", error.Message);
        Assert.Contains("1 more malformed lines", error.Message);
    }

    [TestMethod]
    public void LoadAffWild2_NoAnnotationFolderForSplit_ThrowsNamingRootAndFoldersLookedFor()
    {
        _copy.File($"{NewTrain}/video1.txt", Header, "0,0");

        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => _ml.Data.LoadAffWild2(_copy.Root, AffWild2Split.Validation));

        Assert.Contains($"'{_copy.Root}'", error.Message);
        Assert.Contains("VA_Estimation_Challenge/Validation_Set and VA_Set/Validation_Set", error.Message);
    }

    [TestMethod]
    public void LoadAffWild2_NoTestList_ThrowsNamingRootAndFile()
    {
        _copy.File($"{NewTrain}/video1.txt", Header, "0,0");

        var error = Assert.ThrowsExactly<FileNotFoundException>(() => _ml.Data.LoadAffWild2(_copy.Root, AffWild2Split.Test));

        Assert.Contains($"'{_copy.Root}'", error.Message);
        Assert.Contains("names_of_videos_in_each_test_set/Valence_Arousal_Estimation_Challenge_test_set_release.txt", error.Message);
    }

    [TestMethod]
    public void LoadAffWild2_RootMissing_ThrowsNamingRoot()
    {
        var root = _copy.Path("not-there");

        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => _ml.Data.LoadAffWild2(root, AffWild2Split.Train));

        Assert.Contains($"'{root}'", error.Message);
    }

    [TestMethod]
    public void LoadAffWild2_EmptyAnnotationFolder_ThrowsNamingFolder()
    {
        var folder = Directory.CreateDirectory(_copy.Path(NewTrain)).FullName;

        var error = Assert.ThrowsExactly<InvalidDataException>(() => _ml.Data.LoadAffWild2(_copy.Root, AffWild2Split.Train));

        Assert.Contains($"'{folder}' holds no annotation file", error.Message);
    }

    private Row[] Load(AffWild2Split split) => Rows(_ml.Data.LoadAffWild2(_copy.Root, split));

    private Row[] Rows(IDataView data) => _ml.Data.CreateEnumerable<Row>(data, reuseRowObject: false).ToArray();

    private static void AssertRow(Row row, string videoId, string faceFolder, string videoFile, float[] valence, float[] arousal, int? frameCount = null)
    {
        Assert.AreEqual(videoId, row.VideoId);
        Assert.AreEqual(faceFolder, row.FaceFolder, $"FaceFolder of {videoId}");
        Assert.AreEqual(videoFile, row.VideoFile, $"VideoFile of {videoId}");
        CollectionAssert.AreEqual(valence, row.Valence, $"Valence of {videoId}");
        CollectionAssert.AreEqual(arousal, row.Arousal, $"Arousal of {videoId}");
        Assert.AreEqual(frameCount ?? valence.Length, row.FrameCount, $"FrameCount of {videoId}");
    }

    private sealed class Row
    {
        public string VideoId { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public string VideoFile { get; set; } = "";

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];

        public int FrameCount { get; set; }
    }
}

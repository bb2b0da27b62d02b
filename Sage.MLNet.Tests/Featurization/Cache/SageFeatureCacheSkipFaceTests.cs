using Microsoft.ML;
using Sage.MLNet.Tests.Featurization.Faces;

namespace Sage.MLNet.Tests.Featurization.Cache;

/// <summary><see cref="SageFeatureCache.Fill"/> with <see cref="SageFeatureCacheFillOptions.SkipBadVideos"/> over face-crop folders, some of them bad.</summary>
[TestClass]
public sealed class SageFeatureCacheSkipFaceTests
{
    private const int CropSize = 16;
    private FaceCropFolders _crops = null!;
    private string _cache = null!;
    private string _encoder = null!;
    private MLContext _ml = null!;
    private string _corruptCrop = null!;
    private string _emptyFolder = null!;
    private string _missingFolder = null!;
    private SageFeatureCacheFillTests.IdentifiedFaceRow[] _rows = null!;

    [TestInitialize]
    public void MakeVideos()
    {
        _crops = new FaceCropFolders();
        _cache = CacheFiles.NewCacheFolder();
        _encoder = Path.Combine(_crops.Root, "gap.onnx");
        GlobalAveragePoolEncoder.Write(_encoder);
        _ml = new MLContext(seed: 1);

        var corruptFolder = _crops.Add("bad-jpeg", CropSize, 0);
        _corruptCrop = Path.Combine(corruptFolder, "00002.jpg");
        File.WriteAllBytes(_corruptCrop, [0xFF, 0xD8, 0xFF, 1, 2, 3, 4, 5, 6, 7]);
        _emptyFolder = _crops.Add("empty", CropSize);
        _missingFolder = Path.Combine(_crops.Root, "missing");
        _rows =
        [
            Row("good-0", _crops.Add("good-0", CropSize, 0, 2), 3),
            Row("bad-jpeg", corruptFolder, 2),
            Row("good-1", _crops.Add("good-1", CropSize, 1), 4),
            Row("empty", _emptyFolder, 3),
            Row("missing", _missingFolder, 3),
            Row("good-2", _crops.Add("good-2", CropSize, 0), 5),
        ];
    }

    [TestCleanup]
    public void Delete()
    {
        _crops.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    [TestMethod]
    public void Fill_SkipBadVideos_ListsExactlyTheBadOnesNamingTheirFilesAndCachesTheGoodOnes()
    {
        var data = _ml.Data.LoadFromEnumerable(_rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        var progress = new ListProgress<SageFeatureCacheProgress>();

        var report = SageFeatureCache.Fill(data, model, new() { Progress = progress, SkipBadVideos = true });

        Assert.AreEqual((6, 0, 3, 3), (report.Videos, report.Hits, report.Computed, report.Failed));
        Assert.AreEqual(3L + 4 + 5, report.Frames);
        CollectionAssert.AreEqual(new[] { "bad-jpeg", "empty", "missing" }, report.Failures.Select(f => f.Video).ToArray());
        StringAssert.Contains(report.Failures[0].Message, _corruptCrop);
        StringAssert.Contains(report.Failures[1].Message, _emptyFolder);
        StringAssert.Contains(report.Failures[2].Message, _missingFolder);
        Assert.HasCount(3, CacheFiles.FeatureFiles(model));
        // Failed videos count as done, so a progress bar reaches the end.
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5, 6 }, progress.Reports.Select(p => p.VideosDone).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 2, 3, 3 }, progress.Reports.Select(p => p.Failed).ToArray());
        CollectionAssert.AreEqual(_rows.Select(r => r.VideoId).ToArray(), progress.Reports.Select(p => p.Video).ToArray());
        Assert.AreEqual(report.Frames, progress.Reports[^1].Frames);
    }

    [TestMethod]
    public void Fill_SkipBadVideosAgain_GoodOnesHitAndBadOnesFailAgainWithoutCacheFiles()
    {
        var data = _ml.Data.LoadFromEnumerable(_rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        var first = SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true });

        var second = SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true });

        Assert.AreEqual((6, 3, 0, 3), (second.Videos, second.Hits, second.Computed, second.Failed));
        CollectionAssert.AreEqual(first.Failures.ToArray(), second.Failures.ToArray());
        Assert.HasCount(3, CacheFiles.FeatureFiles(model));
    }

    [TestMethod]
    public void Fill_BadVideoRepairedAfterSkippingFill_NextFillComputesItOnly()
    {
        var data = _ml.Data.LoadFromEnumerable(_rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true });
        FaceCropFolders.WriteJpeg(_corruptCrop, CropSize, (x, y) => new SkiaSharp.SKColor(10, 20, 30));

        var report = SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true });

        Assert.AreEqual((6, 3, 1, 2), (report.Videos, report.Hits, report.Computed, report.Failed));
        CollectionAssert.AreEqual(new[] { "empty", "missing" }, report.Failures.Select(f => f.Video).ToArray());
        Assert.HasCount(4, CacheFiles.FeatureFiles(model));
    }

    [TestMethod]
    public void Fill_SkipBadVideosOff_ThrowsFirstBadVideosErrorAfterCachingThoseBefore()
    {
        var data = _ml.Data.LoadFromEnumerable(_rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        var progress = new ListProgress<SageFeatureCacheProgress>();

        var error = Assert.ThrowsExactly<InvalidDataException>(() => SageFeatureCache.Fill(data, model, new() { Progress = progress }));

        StringAssert.Contains(error.Message, _corruptCrop);
        StringAssert.Contains(error.Message, "video 'bad-jpeg'");
        CollectionAssert.AreEqual(new[] { "good-0" }, progress.Reports.Select(p => p.Video).ToArray());
        Assert.HasCount(1, CacheFiles.FeatureFiles(model));
    }

    [TestMethod]
    public void Fill_SkipBadVideosOffAndFolderMissing_ThrowsDirectoryNotFoundNamingFolder()
    {
        var data = _ml.Data.LoadFromEnumerable(_rows.Where(r => r.VideoId is "good-0" or "missing").ToArray());
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);

        var error = Assert.ThrowsExactly<DirectoryNotFoundException>(() => SageFeatureCache.Fill(data, model));

        StringAssert.Contains(error.Message, _missingFolder);
    }

    [TestMethod]
    public void Fill_SkipBadVideosAndCancelled_StillThrowsCancellation()
    {
        var data = _ml.Data.LoadFromEnumerable(_rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAtVideo("bad-jpeg", cancel);

        Assert.ThrowsExactly<OperationCanceledException>(() => SageFeatureCache.Fill(data, model, new() { Progress = progress, CancellationToken = cancel.Token, SkipBadVideos = true }));

        Assert.HasCount(1, CacheFiles.FeatureFiles(model));
    }

    [TestMethod]
    public void Fill_SkipBadVideosAndCacheUnwritable_StillThrowsIOExceptionNamingFile()
    {
        var data = _ml.Data.LoadFromEnumerable(_rows);
        using var model = _ml.Transforms.FeaturizeFaces(Options()).Fit(data);
        // A file where the featuriser's cache folder should be: no features file can be written under it.
        var folder = CacheFiles.FeaturizerFolders(_cache).Single();
        Directory.Delete(folder, recursive: true);
        File.WriteAllText(folder, "not a folder");

        var error = Assert.ThrowsExactly<IOException>(() => SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true }));

        StringAssert.Contains(error.Message, "could not write its features to the cache file");
        StringAssert.Contains(error.Message, folder);
    }

    private SageFaceFeaturizerOptions Options() => new()
    {
        EncoderModelPath = _encoder,
        EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
        ImageWidth = CropSize,
        ImageHeight = CropSize,
        CacheFolder = _cache,
    };

    private static SageFeatureCacheFillTests.IdentifiedFaceRow Row(string videoId, string folder, int frameCount) =>
        new() { VideoId = videoId, FaceFolder = folder, FrameCount = frameCount };

    /// <summary>Cancels when a given video has been reported done, as a killed job would stop.</summary>
    private sealed class CancelAtVideo(string video, CancellationTokenSource cancel) : IProgress<SageFeatureCacheProgress>
    {
        public void Report(SageFeatureCacheProgress value)
        {
            if (value.Video == video)
            {
                cancel.Cancel();
            }
        }
    }
}

using Microsoft.ML;
using Sage.MLNet.Tests.Featurization.Audio;
using Sage.MLNet.Tests.Media;

namespace Sage.MLNet.Tests.Featurization.Cache;

/// <summary><see cref="SageFeatureCache.Fill"/> with <see cref="SageFeatureCacheFillOptions.SkipBadVideos"/> over video files, some of them bad (needs ffmpeg).</summary>
[TestClass]
public sealed class SageFeatureCacheSkipAudioTests
{
    private static TestVideos s_videos = null!;
    private static string s_tone = null!;
    private static string s_truncated = null!;
    private static string s_silent = null!;
    private static string s_missing = null!;
    private static string s_short = null!;
    private string _cache = null!;
    private MLContext _ml = null!;

    [ClassInitialize]
    public static void MakeVideos(TestContext _)
    {
        s_videos = new TestVideos();
        s_tone = s_videos.WithToneFromOneSecond("tone.mp4", "25");
        s_truncated = s_videos.Truncated("cut-short.mp4");
        s_silent = s_videos.WithoutAudio("silent-film.mp4");
        s_missing = Path.Combine(s_videos.Folder, "never-recorded.mp4");
        s_short = s_videos.WithToneFromOneSecond("short.mp4", "25", seconds: 2);
    }

    [ClassCleanup]
    public static void DeleteVideos() => s_videos.Dispose();

    [TestInitialize]
    public void MakeCache()
    {
        _cache = CacheFiles.NewCacheFolder();
        _ml = new MLContext(seed: 1);
    }

    [TestCleanup]
    public void DeleteCache() => Directory.Delete(_cache, recursive: true);

    [TestMethod]
    public void Fill_SkipBadVideos_ListsTruncatedSilentAndMissingNamingFilesThenGoodOnesHit()
    {
        var data = Data();
        using var model = _ml.Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions { CacheFolder = _cache }).Fit(data);

        var first = SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true });
        var second = SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true });

        Assert.AreEqual((5, 0, 2, 3, 35L), (first.Videos, first.Hits, first.Computed, first.Failed, first.Frames));
        Assert.AreEqual((5, 2, 0, 3, 35L), (second.Videos, second.Hits, second.Computed, second.Failed, second.Frames));
        // Without a VideoId column a failure names its row by the video file.
        var bad = new[] { s_truncated, s_silent, s_missing };
        CollectionAssert.AreEqual(bad, first.Failures.Select(f => f.Video).ToArray());
        for (var i = 0; i < bad.Length; i++)
        {
            StringAssert.Contains(first.Failures[i].Message, bad[i]);
        }
        StringAssert.Contains(first.Failures[1].Message, "no audio track");
        // ffmpeg's messages hold pointer addresses that change between runs, so only the videos are compared.
        CollectionAssert.AreEqual(bad, second.Failures.Select(f => f.Video).ToArray());
        Assert.HasCount(2, CacheFiles.FeatureFiles(model));
    }

    [TestMethod]
    public void Fill_SkipBadVideosOff_ThrowsTruncatedVideosErrorNamingFile()
    {
        var data = Data();
        using var model = _ml.Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions { CacheFolder = _cache }).Fit(data);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => SageFeatureCache.Fill(data, model));

        StringAssert.Contains(error.Message, s_truncated);
        Assert.HasCount(1, CacheFiles.FeatureFiles(model));
    }

    [TestMethod]
    public void Fill_SkipBadVideosWithZerosPolicy_CachesSilentVideo()
    {
        var data = Data();
        var options = new SageAudioFeaturizerOptions { CacheFolder = _cache, MissingAudio = SageMissingAudioPolicy.Zeros };
        using var model = _ml.Transforms.FeaturizeAudio(options).Fit(data);

        var report = SageFeatureCache.Fill(data, model, new() { SkipBadVideos = true });

        CollectionAssert.AreEqual(new[] { s_truncated, s_missing }, report.Failures.Select(f => f.Video).ToArray());
        Assert.AreEqual(3, report.Computed);
    }

    private IDataView Data() => _ml.Data.LoadFromEnumerable(new[]
    {
        (s_tone, 20), (s_truncated, 10), (s_silent, 10), (s_missing, 10), (s_short, 15),
    }.Select(r => new SageAudioFeatureCacheTests.AudioRow { VideoFile = r.Item1, FrameCount = r.Item2 }));
}

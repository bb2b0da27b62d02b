using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Tests.Featurization.Audio;
using Sage.MLNet.Tests.Media;

namespace Sage.MLNet.Tests.Featurization.Cache;

[TestClass]
public sealed class SageAudioFeatureCacheTests
{
    private static TestVideos s_videos = null!;
    private static string s_tone = null!;
    private static string s_short = null!;
    private string _cache = null!;
    private MLContext _ml = null!;

    [ClassInitialize]
    public static void MakeVideos(TestContext _)
    {
        s_videos = new TestVideos();
        s_tone = s_videos.WithToneFromOneSecond("tone.mp4", "25");
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
    public void Transform_SameCacheFolder_SecondFeaturizerReturnsSameValuesWithoutFFMpeg()
    {
        var (expected, firstComputations) = Run(Options());
        var brokenFFMpeg = BrokenFFMpegFolder();
        var options = Options();
        options.FFMpegBinaryFolder = brokenFFMpeg;       // leaves the featurizer key alone, but any decode now fails

        var (actual, computations) = Run(options);

        Assert.AreEqual(2, firstComputations);
        Assert.AreEqual(0, computations);
        CollectionAssert.AreEqual(expected[0], actual[0]);
        CollectionAssert.AreEqual(expected[1], actual[1]);
        // The proof holds only if the broken ffmpeg cannot featurise: a T the cache has not seen must fail.
        using var model = _ml.Transforms.FeaturizeAudio(options).Fit(Data());
        Assert.Throws<Exception>(() => model.Transform(Data((s_tone, 11))).GetColumn<float[]>("AudioFeatures").ToArray());
    }

    [TestMethod]
    public void Transform_MelBandsChanged_Misses()
    {
        Run(Options());
        var options = Options();
        options.MelBands = 32;

        var (features, computations) = Run(options);

        Assert.AreEqual(2, computations);
        Assert.HasCount(20 * 64, features[0]);
        Assert.HasCount(2, CacheFiles.FeaturizerFolders(_cache));
    }

    [TestMethod]
    public void Transform_MissingAudioPolicyChanged_Misses()
    {
        Run(Options());
        var options = Options();
        options.MissingAudio = SageMissingAudioPolicy.Zeros;

        Assert.AreEqual(2, Run(options).Computations);
    }

    [TestMethod]
    public void Transform_VideoTouched_MissesThatVideoOnly()
    {
        var (expected, _) = Run(Options());
        File.SetLastWriteTimeUtc(s_short, File.GetLastWriteTimeUtc(s_short).AddMinutes(5));

        var (actual, computations) = Run(Options());

        Assert.AreEqual(1, computations);
        CollectionAssert.AreEqual(expected[1], actual[1]);
    }

    [TestMethod]
    public void Transform_CacheFileCorrupted_RecomputesFreshValues()
    {
        var (expected, _) = Run(Options());
        string file;
        using (var model = _ml.Transforms.FeaturizeAudio(Options()).Fit(Data()))
        {
            file = CacheFiles.FileOf(model, VideoKeys.ForVideoFile(s_tone, 20)!);
        }
        var bytes = File.ReadAllBytes(file);
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        var (actual, computations) = Run(Options());

        Assert.AreEqual(1, computations);
        CollectionAssert.AreEqual(expected[0], actual[0]);
    }

    [TestMethod]
    public void Fill_OneShard_ComputesThenHitsAndCountsFrames()
    {
        using var model = _ml.Transforms.FeaturizeAudio(Options()).Fit(Data());

        var first = SageFeatureCache.Fill(Data(), model);
        var second = SageFeatureCache.Fill(Data(), model);

        Assert.AreEqual((2, 0, 2, 35L), (first.Videos, first.Hits, first.Computed, first.Frames));
        Assert.AreEqual((2, 2, 0, 35L), (second.Videos, second.Hits, second.Computed, second.Frames));
        Assert.AreEqual(2, CacheFiles.Computations(model));
    }

    private SageAudioFeaturizerOptions Options() => new() { CacheFolder = _cache };

    private IDataView Data(params (string Video, int Frames)[] rows) =>
        _ml.Data.LoadFromEnumerable((rows.Length == 0 ? [(s_tone, 20), (s_short, 15)] : rows)
            .Select(r => new AudioRow { VideoFile = r.Video, FrameCount = r.Frames }));

    private (float[][] Features, long Computations) Run(SageAudioFeaturizerOptions options)
    {
        using var model = _ml.Transforms.FeaturizeAudio(options).Fit(Data());
        var features = model.Transform(Data()).GetColumn<float[]>("AudioFeatures").ToArray();
        return (features, CacheFiles.Computations(model));
    }

    /// <summary>Returns a folder whose ffmpeg and ffprobe exist but always fail.</summary>
    private static string BrokenFFMpegFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(s_videos.Folder, "broken-ffmpeg")).FullName;
        foreach (var binary in new[] { "ffmpeg", "ffprobe" })
        {
            var path = Path.Combine(folder, binary);
            File.WriteAllText(path, "#!/bin/sh\necho broken >&2\nexit 1\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        return folder;
    }

    public sealed class AudioRow
    {
        public string VideoFile { get; set; } = "";

        public int FrameCount { get; set; }
    }
}

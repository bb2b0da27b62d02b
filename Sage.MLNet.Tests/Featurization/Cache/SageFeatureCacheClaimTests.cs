using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Tests.Featurization.Faces;

namespace Sage.MLNet.Tests.Featurization.Cache;

/// <summary>
/// Fill's "in progress" markers as another process would leave them: a live one is waited for, a stale one or one of a dead
/// process on this host is taken over.
/// </summary>
[TestClass]
public sealed class SageFeatureCacheClaimTests
{
    private const int CropSize = 16;
    private FaceCropFolders _crops = null!;
    private string _cache = null!;
    private string _elsewhere = null!;
    private string _encoder = null!;
    private MLContext _ml = null!;

    [TestInitialize]
    public void MakeEncoder()
    {
        _crops = new FaceCropFolders();
        _cache = CacheFiles.NewCacheFolder();
        _elsewhere = CacheFiles.NewCacheFolder();
        _encoder = Path.Combine(_crops.Root, "gap.onnx");
        GlobalAveragePoolEncoder.Write(_encoder);
        _ml = new MLContext(seed: 1);
    }

    [TestCleanup]
    public void Delete()
    {
        _crops.Dispose();
        Directory.Delete(_cache, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }

    [TestMethod]
    public void Fill_LiveClaimOfAnotherHost_DoesTheOtherVideosThenTakesTheFileThatProcessWrites()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(3));
        using var model = _ml.Transforms.FeaturizeFaces(Options(_cache)).Fit(data);
        var reference = FillFirstElsewhere(data);
        var claimed = CacheFiles.FileOf(model, Path.GetFileNameWithoutExtension(reference));
        WriteClaim(claimed, "other-host 12345 0123456789abcdef", DateTime.UtcNow);
        using var othersDone = new ManualResetEventSlim();
        var progress = new SignalAt(2, othersDone);

        var fill = Task.Run(() => SageFeatureCache.Fill(data, model, new() { Progress = progress, StaleClaimTimeout = TimeSpan.FromMinutes(10) }));
        Assert.IsTrue(othersDone.Wait(TimeSpan.FromSeconds(60)), "the two unclaimed videos were not filled");
        Assert.IsFalse(fill.IsCompleted, "Fill returned while a video was still claimed by another process");
        // The "other process" finishes: its file appears through a rename, then its marker goes.
        File.Copy(reference, claimed + ".tmp");
        File.Move(claimed + ".tmp", claimed);
        File.Delete(FeatureCacheClaim.PathOf(claimed));
        var report = fill.Wait(TimeSpan.FromSeconds(30)) ? fill.Result : throw new AssertFailedException("Fill did not finish after the claim went");

        Assert.AreEqual((3, 1, 2), (report.Videos, report.Hits, report.Computed));
        Assert.AreEqual(2, CacheFiles.Computations(model));
        Assert.AreEqual(1, progress.Reports[0].Waiting);
        Assert.AreEqual(0, progress.Reports[^1].Waiting);
    }

    [TestMethod]
    public void Fill_ClaimNotRenewedForTheStaleTimeout_TakesTheVideoOverAndRemovesTheMarker()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(2));
        using var model = _ml.Transforms.FeaturizeFaces(Options(_cache)).Fit(data);
        var reference = FillFirstElsewhere(data);
        var claimed = CacheFiles.FileOf(model, Path.GetFileNameWithoutExtension(reference));
        WriteClaim(claimed, "other-host 12345 0123456789abcdef", DateTime.UtcNow - TimeSpan.FromMinutes(2));
        var leftover = Path.Combine(Path.GetDirectoryName(claimed)!, $".{Path.GetFileName(claimed)}.0123.tmp");
        File.WriteAllText(leftover, "half a file");
        File.SetLastWriteTimeUtc(leftover, DateTime.UtcNow - TimeSpan.FromMinutes(2));

        var report = SageFeatureCache.Fill(data, model, new() { StaleClaimTimeout = TimeSpan.FromMinutes(1) });

        Assert.AreEqual((2, 0, 2), (report.Videos, report.Hits, report.Computed));
        CollectionAssert.AreEqual(File.ReadAllBytes(reference), File.ReadAllBytes(claimed));
        Assert.IsFalse(File.Exists(FeatureCacheClaim.PathOf(claimed)), "the taken-over marker was left behind");
        Assert.IsFalse(File.Exists(leftover), "a killed writer's stale temporary was left behind");
    }

    [TestMethod]
    public void Fill_FreshClaimOfADeadProcessOnThisHost_TakesTheVideoOverAtOnce()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(2));
        using var model = _ml.Transforms.FeaturizeFaces(Options(_cache)).Fit(data);
        var reference = FillFirstElsewhere(data);
        var claimed = CacheFiles.FileOf(model, Path.GetFileNameWithoutExtension(reference));
        using (var finished = Process.Start(new ProcessStartInfo("true"))!)
        {
            finished.WaitForExit();
            WriteClaim(claimed, $"{Environment.MachineName} {finished.Id} 0123456789abcdef", DateTime.UtcNow);
        }
        var clock = Stopwatch.StartNew();

        var report = SageFeatureCache.Fill(data, model, new() { StaleClaimTimeout = TimeSpan.FromHours(1) });

        Assert.AreEqual((2, 0, 2), (report.Videos, report.Hits, report.Computed));
        Assert.IsLessThan(60.0, clock.Elapsed.TotalSeconds);
        Assert.IsFalse(File.Exists(FeatureCacheClaim.PathOf(claimed)));
    }

    [TestMethod]
    public void Fill_StaleClaimTimeoutZero_ThrowsNamingTheOption()
    {
        var data = _ml.Data.LoadFromEnumerable(Rows(1));
        using var model = _ml.Transforms.FeaturizeFaces(Options(_cache)).Fit(data);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => SageFeatureCache.Fill(data, model, new() { StaleClaimTimeout = TimeSpan.Zero }));

        Assert.AreEqual("StaleClaimTimeout", error.ParamName);
    }

    [TestMethod]
    public void TryTake_TwiceOnOneVideo_SecondFailsUntilTheFirstIsReleased()
    {
        var path = Path.Combine(_cache, "video.features");

        using (var first = FeatureCacheClaim.TryTake(path, TimeSpan.FromMinutes(1)))
        {
            Assert.IsNotNull(first);
            Assert.IsNull(FeatureCacheClaim.TryTake(path, TimeSpan.FromMinutes(1)));
        }
        using var again = FeatureCacheClaim.TryTake(path, TimeSpan.FromMinutes(1));

        Assert.IsNotNull(again);
    }

    /// <summary>Fills the first video alone into a cache of its own and returns its features file (the video key does not depend on the cache folder).</summary>
    private string FillFirstElsewhere(IDataView data)
    {
        var first = _ml.Data.TakeRows(data, 1);
        using var model = _ml.Transforms.FeaturizeFaces(Options(_elsewhere)).Fit(first);
        SageFeatureCache.Fill(first, model);
        return CacheFiles.FeatureFiles(model).Single();
    }

    private static void WriteClaim(string featuresPath, string content, DateTime writtenUtc)
    {
        var marker = FeatureCacheClaim.PathOf(featuresPath);
        File.WriteAllText(marker, content);
        File.SetLastWriteTimeUtc(marker, writtenUtc);
    }

    private SageFaceFeaturizerOptions Options(string cache) => new()
    {
        EncoderModelPath = _encoder,
        EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
        ImageWidth = CropSize,
        ImageHeight = CropSize,
        CacheFolder = cache,
    };

    private SageFeatureCacheFillTests.IdentifiedFaceRow[] Rows(int videos) =>
        [.. Enumerable.Range(0, videos).Select(v => new SageFeatureCacheFillTests.IdentifiedFaceRow
        {
            VideoId = $"video-{v}",
            FaceFolder = _crops.Add($"video-{v}", CropSize, 0, 2),
            FrameCount = 3 + v,
        })];

    /// <summary>Collects the reports and signals once a number of videos are done.</summary>
    private sealed class SignalAt(int videos, ManualResetEventSlim signal) : IProgress<SageFeatureCacheProgress>
    {
        public List<SageFeatureCacheProgress> Reports { get; } = [];

        public void Report(SageFeatureCacheProgress value)
        {
            lock (Reports)
            {
                Reports.Add(value);
            }
            if (value.VideosDone == videos)
            {
                signal.Set();
            }
        }
    }
}

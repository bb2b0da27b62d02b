using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Tests.Featurization.Faces;
using Sage.MLNet.Tests.Media;
using Sage.MLNet.Training;

namespace Sage.MLNet.Tests.Featurization.Cache;

/// <summary>
/// The public pipeline FeaturizeFaces → FeaturizeAudio (with a CacheFolder) → Sage, as <c>train --cache</c> builds it: over a
/// filled cache the trainer reads each clip straight from the cache files (no video's features read whole), with the same
/// training as from arrays in memory, the same clips as copied from those arrays or read from their buffers, and each file's
/// hash still checked; a video missing from the cache is featurised whole.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class FeaturizerStreamingTests
{
    private const int CropSize = 16;
    private const int VisualSize = 3;       // the global-average-pool encoder: one value per colour channel
    private const int AudioSize = 128;      // log-mel statistics: 64 bands' means and deviations

    // Shorter than a clip, longer with strided clips and a tail clip, and a clip and a bit.
    private static readonly int[] s_frames = [150, 650, 420];
    private static FaceCropFolders s_crops = null!;
    private static TestVideos s_videos = null!;
    private static string s_encoder = null!;
    private static VideoRow[] s_rows = null!;
    private string _cache = null!;
    private MLContext _ml = null!;

    [ClassInitialize]
    public static void MakeVideos(TestContext _)
    {
        s_crops = new FaceCropFolders();
        s_videos = new TestVideos();
        s_encoder = Path.Combine(s_crops.Root, "gap.onnx");
        GlobalAveragePoolEncoder.Write(s_encoder);
        s_rows = [.. s_frames.Select((frames, v) => new VideoRow
        {
            VideoId = $"video-{v}",
            // Every seventh frame has no crop, so FaceFound is not all ones.
            FaceFolder = s_crops.Add($"video-{v}", CropSize, [.. Enumerable.Range(0, frames).Where(t => t % 7 != 3)]),
            VideoFile = s_videos.WithToneFromOneSecond($"video-{v}.mp4", "25", seconds: 2 + v),
            FrameCount = frames,
            Valence = [.. Enumerable.Range(0, frames).Select(t => t % 50 == 49 ? SageLabels.NotAnnotated : 0.8f * MathF.Sin((t + 31 * v) / 37f))],
            Arousal = [.. Enumerable.Range(0, frames).Select(t => 0.7f * MathF.Cos((t + 11 * v) / 53f))],
        })];
    }

    [ClassCleanup]
    public static void DeleteVideos()
    {
        s_crops.Dispose();
        s_videos.Dispose();
    }

    [TestInitialize]
    public void MakeCache()
    {
        _cache = CacheFiles.NewCacheFolder();
        _ml = new MLContext(seed: 1);
    }

    [TestCleanup]
    public void DeleteCache() => Directory.Delete(_cache, recursive: true);

    [TestMethod]
    public void Fit_FilledCache_StreamsEveryVideoWithTheSameLossesAndPredictionsAsArrays()
    {
        Fill();

        var (losses, chain) = TrainThroughFeaturizers(_cache);
        using (chain)
        {
            var (faces, audio) = Featurizers(chain);
            // Every row of both epochs was opened for frame ranges; nothing was computed or read whole.
            Assert.AreEqual((2L * s_frames.Length, 0L, 0L), (faces.Streamed, faces.WholeReads, faces.Computations), "faces: streamed, whole reads, computed");
            Assert.AreEqual((2L * s_frames.Length, 0L, 0L), (audio.Streamed, audio.WholeReads, audio.Computations), "audio: streamed, whole reads, computed");

            var arrays = InMemory();
            var (arrayLosses, arrayModel) = Train(arrays);
            using (arrayModel)
            {
                CollectionAssert.AreEqual(arrayLosses, losses, "training loss per epoch");
                var streamed = Scores(chain.LastTransformer, arrays);
                var whole = Scores(arrayModel, arrays);
                for (var i = 0; i < whole.Length; i++)
                {
                    CollectionAssert.AreEqual(whole[i].PredictedValence, streamed[i].PredictedValence, $"valence, video {i}");
                    CollectionAssert.AreEqual(whole[i].PredictedArousal, streamed[i].PredictedArousal, $"arousal, video {i}");
                }
            }
        }
    }

    [TestMethod]
    public void Read_FilledCache_ClipsEqualArraysCopiedAndFromBuffersAndNoVideoReadWhole()
    {
        Fill();
        var data = Data();
        using var faces = _ml.Transforms.FeaturizeFaces(FaceOptions(_cache)).Fit(data);
        using var audio = _ml.Transforms.FeaturizeAudio(AudioOptions(_cache)).Fit(data);
        var options = SageOptions(new ListProgress<SageTrainingProgress>());
        var shuffler = new ClipShuffler(capacity: 3, 300, 200);
        var arrays = InMemory();

        var copied = Clips(shuffler, new SageVideoReader(arrays, options, withLabels: true, withFaceFound: true).Read(null));
        var fromBuffers = Clips(shuffler, new SageVideoReader(arrays, options, withLabels: true, withFaceFound: true).Read(null, streamFeatures: true));
        var videos = new List<(bool Ranges, int WholeValues)>();
        var fromFiles = Clips(shuffler, new SageVideoReader(audio.Transform(faces.Transform(data)), options, withLabels: true, withFaceFound: true)
            .Read(null, streamFeatures: true)
            .Select(v =>
            {
                videos.Add((v.VisualFrames is not null && v.AudioFrames is not null, v.Visual.Length + v.Audio.Length));
                return v;
            }));

        Assert.AreEqual(s_frames.Sum(f => ClipPlan.Starts(f, 300, 200).Length), copied.Count, "clips");
        Assert.AreEqual(copied.Count, fromBuffers.Count, "clips from the buffers");
        Assert.AreEqual(copied.Count, fromFiles.Count, "clips from the files");
        for (var i = 0; i < copied.Count; i++)
        {
            Assert.AreEqual(copied[i], fromFiles[i], $"clip {i} from the cache files: {copied[i][..Math.Min(60, copied[i].Length)]}");
            Assert.AreEqual(copied[i], fromBuffers[i], $"clip {i} from the whole-video buffers: {copied[i][..Math.Min(60, copied[i].Length)]}");
        }
        CollectionAssert.AreEqual(s_frames.Select(_ => (true, 0)).ToArray(), videos.ToArray(), "every video read as frame ranges, none as arrays");
        foreach (var (name, cached) in new[] { ("faces", ((ICacheableFeaturizer)faces).Cached), ("audio", ((ICacheableFeaturizer)audio).Cached) })
        {
            Assert.AreEqual(((long)s_frames.Length, 0L, 0L), (cached.Streamed, cached.WholeReads, cached.Computations), $"{name}: streamed, read whole, computed");
        }
    }

    [TestMethod]
    public void Fit_FilledCacheFileDamaged_ThrowsNamingTheFile()
    {
        Fill();
        string file;
        using (var faces = _ml.Transforms.FeaturizeFaces(FaceOptions(_cache)).Fit(Data()))
        {
            file = ((ICacheableFeaturizer)faces).Cached.PathOf(s_rows[1].FaceFolder, s_rows[1].FrameCount)!;
        }
        var bytes = File.ReadAllBytes(file);
        bytes[FeatureCacheFile.HeaderSize + 4 * VisualSize * 500] ^= 0x10;       // frame 500, in the tail clip only
        File.WriteAllBytes(file, bytes);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => TrainThroughFeaturizers(_cache));

        StringAssert.Contains(error.Message, file);
        StringAssert.Contains(error.Message, "SHA-256");
    }

    [TestMethod]
    public void Fit_EmptyCache_FirstEpochFeaturisesWholeAndStoresThenSecondStreamsWithTheSameLosses()
    {
        var (losses, chain) = TrainThroughFeaturizers(_cache);
        using (chain)
        {
            var (faces, audio) = Featurizers(chain);
            // Epoch 1 misses, computes each video whole and stores it; epoch 2 reads the stored files a clip at a time.
            Assert.AreEqual(((long)s_frames.Length, 0L, (long)s_frames.Length), (faces.Computations, faces.WholeReads, faces.Streamed), "faces: computed, whole reads, streamed");
            Assert.AreEqual(((long)s_frames.Length, 0L, (long)s_frames.Length), (audio.Computations, audio.WholeReads, audio.Streamed), "audio: computed, whole reads, streamed");
            var (arrayLosses, arrayModel) = Train(InMemory());
            using (arrayModel)
            {
                CollectionAssert.AreEqual(arrayLosses, losses, "training loss per epoch");
            }
        }
    }

    [TestMethod]
    public void Fit_NoCacheFolder_FeaturisesWholeEveryEpochWithTheSameLosses()
    {
        var (losses, chain) = TrainThroughFeaturizers(cacheFolder: null);
        using (chain)
        {
            var (faces, audio) = Featurizers(chain);
            Assert.AreEqual((2L * s_frames.Length, 0L), (faces.Computations, faces.Streamed), "faces: computed, streamed");
            Assert.AreEqual((2L * s_frames.Length, 0L), (audio.Computations, audio.Streamed), "audio: computed, streamed");
            var (arrayLosses, arrayModel) = Train(InMemory());
            using (arrayModel)
            {
                CollectionAssert.AreEqual(arrayLosses, losses, "training loss per epoch");
            }
        }
    }

    [TestMethod]
    public void FitCrossValidation_FilledCache_StreamsTrainingAndHeldOutVideos()
    {
        Fill();
        var data = Data();
        using var faces = _ml.Transforms.FeaturizeFaces(FaceOptions(_cache)).Fit(data);
        using var audio = _ml.Transforms.FeaturizeAudio(AudioOptions(_cache)).Fit(data);
        var progress = new ListProgress<SageTrainingProgress>();

        using var model = _ml.Transforms.SageCrossValidation(SageOptions(progress), new SageCrossValidationOptions { FoldCount = 3, Selection = SageFoldSelection.Average })
            .Fit(audio.Transform(faces.Transform(data)));

        // Three folds of one video each: every epoch trains on two videos and scores the third, all a clip at a time.
        var epochs = progress.Reports.Count;
        Assert.IsGreaterThanOrEqualTo(3, epochs, "epochs over the three folds");
        foreach (var (name, cached) in new[] { ("faces", ((ICacheableFeaturizer)faces).Cached), ("audio", ((ICacheableFeaturizer)audio).Cached) })
        {
            Assert.AreEqual((3L * epochs, 0L, 0L), (cached.Streamed, cached.WholeReads, cached.Computations), $"{name}: streamed, read whole, computed");
        }
    }

    /// <summary>Fills the cache with both featurisers, as <c>featurize</c> does, and checks that it computed every video.</summary>
    private void Fill()
    {
        var data = Data();
        using var faces = _ml.Transforms.FeaturizeFaces(FaceOptions(_cache)).Fit(data);
        using var audio = _ml.Transforms.FeaturizeAudio(AudioOptions(_cache)).Fit(data);
        Assert.AreEqual(s_frames.Length, SageFeatureCache.Fill(data, faces).Computed, "faces computed");
        Assert.AreEqual(s_frames.Length, SageFeatureCache.Fill(data, audio).Computed, "audio computed");
    }

    /// <summary>Trains the public pipeline FeaturizeFaces → FeaturizeAudio → Sage on the video rows; returns the loss of each epoch.</summary>
    private (double[] Losses, TransformerChain<SageTransformer> Chain) TrainThroughFeaturizers(string? cacheFolder)
    {
        var progress = new ListProgress<SageTrainingProgress>();
        var chain = _ml.Transforms.FeaturizeFaces(FaceOptions(cacheFolder))
            .Append(_ml.Transforms.FeaturizeAudio(AudioOptions(cacheFolder)))
            .Append(_ml.Transforms.Sage(SageOptions(progress)))
            .Fit(Data());
        return ([.. progress.Reports.Select(p => p.TrainingLoss)], chain);
    }

    private (double[] Losses, SageTransformer Model) Train(IDataView data)
    {
        var progress = new ListProgress<SageTrainingProgress>();
        var model = _ml.Transforms.Sage(SageOptions(progress)).Fit(data);
        return ([.. progress.Reports.Select(p => p.TrainingLoss)], model);
    }

    /// <summary>The same rows with their features computed by featurisers without a cache, as arrays in memory.</summary>
    private IDataView InMemory()
    {
        var data = Data();
        using var faces = _ml.Transforms.FeaturizeFaces(FaceOptions(null)).Fit(data);
        using var audio = _ml.Transforms.FeaturizeAudio(AudioOptions(null)).Fit(data);
        var rows = _ml.Data.CreateEnumerable<FeatureRow>(audio.Transform(faces.Transform(data)), reuseRowObject: false).ToArray();
        Assert.AreEqual(s_frames.Sum() * VisualSize, rows.Sum(r => r.VisualFeatures.Length), "visual values");
        return _ml.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Each clip's name, start and values as text, in the order the shuffler yields them.</summary>
    private static List<string> Clips(ClipShuffler shuffler, IEnumerable<SageVideo> videos) =>
        [.. shuffler.Shuffle(videos, new Random(4)).Select(c =>
        {
            var f = c.Frames;
            return $"{c.Name}@{c.Start}:{f.Frames}|{string.Join(",", f.Visual[..(f.Frames * VisualSize)])}|{string.Join(",", f.Audio[..(f.Frames * AudioSize)])}" +
                $"|{string.Join(",", f.Valence![..f.Frames])}|{string.Join(",", f.Arousal![..f.Frames])}|{string.Join(",", f.FaceFound![..f.Frames])}";
        })];

    private TestData.ScoredRow[] Scores(ITransformer model, IDataView data) =>
        _ml.Data.CreateEnumerable<TestData.ScoredRow>(model.Transform(data), reuseRowObject: false).ToArray();

    private static (CachedFeaturizer Faces, CachedFeaturizer Audio) Featurizers(TransformerChain<SageTransformer> chain)
    {
        ICacheableFeaturizer faces = chain.OfType<SageFaceFeaturizerTransformer>().Single(), audio = chain.OfType<SageAudioFeaturizerTransformer>().Single();
        return (faces.Cached, audio.Cached);
    }

    private IDataView Data() => _ml.Data.LoadFromEnumerable(s_rows);

    private static SageOptions SageOptions(IProgress<SageTrainingProgress> progress)
    {
        var options = TestData.SmallOptions(maxEpochs: 2);
        options.VisualFeatureSize = VisualSize;
        options.AudioFeatureSize = AudioSize;
        options.FaceFoundColumnName = "FaceFound";
        options.ShuffleBufferSize = 5;
        options.Progress = progress;
        return options;
    }

    private static SageFaceFeaturizerOptions FaceOptions(string? cacheFolder) => new()
    {
        EncoderModelPath = s_encoder,
        EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
        ImageWidth = CropSize,
        ImageHeight = CropSize,
        CacheFolder = cacheFolder,
    };

    private static SageAudioFeaturizerOptions AudioOptions(string? cacheFolder) => new() { CacheFolder = cacheFolder };

    private sealed class VideoRow
    {
        public string VideoId { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public string VideoFile { get; set; } = "";

        public int FrameCount { get; set; }

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

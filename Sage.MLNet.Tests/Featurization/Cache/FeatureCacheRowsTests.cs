using Microsoft.ML;
using Sage.MLNet.Data;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Training;

namespace Sage.MLNet.Tests.Featurization.Cache;

/// <summary>
/// The feature cache's own rows, whose clips the trainer reads straight from the files: the same clips, batches and
/// training as whole-video arrays of the same values, with each file's hash still checked.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class FeatureCacheRowsTests
{
    private const string FaceFound = "FaceFound";

    // Shorter than a clip, a clip and one frame, and longer ones with strided clips and a tail clip.
    private static readonly int[] s_frames = [150, 301, 1234, 650];

    [TestMethod]
    public void Fit_CacheRowsAndWholeVideoArrays_SameLossesAndPredictions()
    {
        var ml = new MLContext(seed: 1);
        using var cache = new Cache(ml, s_frames);
        var test = TestData.Videos(ml, 2, seed: 9, minFrames: 150, maxFrames: 400);

        var (streamedLosses, streamed) = Train(ml, cache.Rows);
        var (wholeLosses, whole) = Train(ml, cache.WholeVideos(ml));
        using (streamed)
        using (whole)
        {
            CollectionAssert.AreEqual(wholeLosses, streamedLosses, "training loss per epoch");
            var a = ml.Data.CreateEnumerable<TestData.ScoredRow>(streamed.Transform(test), reuseRowObject: false).ToArray();
            var b = ml.Data.CreateEnumerable<TestData.ScoredRow>(whole.Transform(test), reuseRowObject: false).ToArray();
            for (var i = 0; i < a.Length; i++)
            {
                CollectionAssert.AreEqual(b[i].PredictedValence, a[i].PredictedValence, $"valence, video {i}");
                CollectionAssert.AreEqual(b[i].PredictedArousal, a[i].PredictedArousal, $"arousal, video {i}");
            }
        }
    }

    [TestMethod]
    public void Read_Streamed_ClipsEqualWholeVideoClipsAndCacheRowsNeedNoWholeArrays()
    {
        var ml = new MLContext(seed: 1);
        using var cache = new Cache(ml, s_frames);
        var options = Options();
        var shuffler = new ClipShuffler(capacity: 3, 300, 200);

        var whole = Clips(shuffler, new SageVideoReader(cache.WholeVideos(ml), options, withLabels: true, withFaceFound: true).Read(null));
        var wholeStreamed = Clips(shuffler, new SageVideoReader(cache.WholeVideos(ml), options, withLabels: true, withFaceFound: true).Read(null, streamFeatures: true));
        var streamedVideos = new List<(bool Streamed, int WholeValues)>();
        var streamed = Clips(shuffler, new SageVideoReader(cache.Rows, options, withLabels: true, withFaceFound: true).Read(null, streamFeatures: true)
            .Select(v =>
            {
                streamedVideos.Add((v.VisualFrames is not null && v.AudioFrames is not null, v.Visual.Length + v.Audio.Length));
                return v;
            }));

        Assert.AreEqual(s_frames.Sum(f => ClipPlan.Starts(f, 300, 200).Length), whole.Count, "clips");
        Assert.AreEqual(whole.Count, streamed.Count, "clips");
        Assert.AreEqual(whole.Count, wholeStreamed.Count, "clips");
        for (var i = 0; i < whole.Count; i++)
        {
            Assert.AreEqual(whole[i], streamed[i], $"clip {i} from the cache files: {whole[i][..Math.Min(60, whole[i].Length)]}");
            Assert.AreEqual(whole[i], wholeStreamed[i], $"clip {i} from the whole-video buffers: {whole[i][..Math.Min(60, whole[i].Length)]}");
        }
        CollectionAssert.AreEqual(s_frames.Select(_ => (true, 0)).ToArray(), streamedVideos.ToArray(), "every video read as frame ranges, none as arrays");
    }

    [TestMethod]
    public void Fit_CacheFileDamaged_ThrowsNamingTheFile()
    {
        var ml = new MLContext(seed: 1);
        using var cache = new Cache(ml, s_frames);
        var file = cache.Videos[2].AudioFile;
        var bytes = File.ReadAllBytes(file);
        bytes[FeatureCacheFile.HeaderSize + 4 * 1000] ^= 0x10;       // one float of frame 125, audio width 8
        File.WriteAllBytes(file, bytes);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => Train(ml, cache.Rows));

        StringAssert.Contains(error.Message, file);
        StringAssert.Contains(error.Message, "SHA-256");
    }

    [TestMethod]
    public void RangeReader_SomeFramesSkipped_CompleteReadsTheRestAndAcceptsTheFile()
    {
        var ml = new MLContext(seed: 1);
        using var cache = new Cache(ml, [1234]);
        var video = cache.Videos[0];
        var expected = FeatureCacheFile.TryRead(video.FacesFile, 1234, TestData.VisualSize, 1)!;

        using var reader = FeatureCacheRangeReader.Open(video.FacesFile, 1234, TestData.VisualSize, 1);
        var (first, overlapping) = (new float[100 * TestData.VisualSize], new float[20 * TestData.VisualSize]);
        reader.Read(500, first);
        reader.Read(550, overlapping);
        reader.Complete();

        CollectionAssert.AreEqual(expected.Values[(500 * TestData.VisualSize)..(600 * TestData.VisualSize)], first);
        CollectionAssert.AreEqual(expected.Values[(550 * TestData.VisualSize)..(570 * TestData.VisualSize)], overlapping);
        CollectionAssert.AreEqual(expected.Extra, reader.Extra, "FaceFound");
    }

    private static (double[] Losses, SageTransformer Model) Train(MLContext ml, IDataView data)
    {
        var losses = new List<double>();
        var options = Options();
        options.Progress = new Recording(p => losses.Add(p.TrainingLoss));
        var model = ml.Transforms.Sage(options).Fit(data);
        return ([.. losses], model);
    }

    private static SageOptions Options()
    {
        var options = TestData.SmallOptions(maxEpochs: 2);
        options.FaceFoundColumnName = FaceFound;
        options.ShuffleBufferSize = 5;
        return options;
    }

    /// <summary>Each clip's name, start and values as text, in the order the shuffler yields them.</summary>
    private static List<string> Clips(ClipShuffler shuffler, IEnumerable<SageVideo> videos) =>
        [.. shuffler.Shuffle(videos, new Random(4)).Select(c =>
        {
            var f = c.Frames;
            return $"{c.Name}@{c.Start}:{f.Frames}|{string.Join(",", f.Visual[..(f.Frames * TestData.VisualSize)])}|{string.Join(",", f.Audio[..(f.Frames * TestData.AudioSize)])}" +
                $"|{string.Join(",", f.Valence![..f.Frames])}|{string.Join(",", f.Arousal![..f.Frames])}|{string.Join(",", f.FaceFound![..f.Frames])}";
        })];

    /// <summary>Synthetic videos written as cache files in a temporary folder, deleted on dispose.</summary>
    private sealed class Cache : IDisposable
    {
        private readonly string _folder = CacheFiles.NewCacheFolder();
        private readonly Dictionary<string, (float[] Valence, float[] Arousal)> _labels = [];

        public Cache(MLContext ml, int[] frames)
        {
            var rows = new List<FeatureCacheVideo>();
            for (var v = 0; v < frames.Length; v++)
            {
                var row = TestData.Rows(TestData.Videos(ml, 1, seed: 10 + v, minFrames: frames[v], maxFrames: frames[v]), ml)[0];
                var faceFound = Enumerable.Range(0, frames[v]).Select(t => t % 7 == 3 ? 0f : 1f).ToArray();
                var video = new FeatureCacheVideo($"video-{v}", Path.Combine(_folder, $"{v}.faces.features"), Path.Combine(_folder, $"{v}.audio.features"), frames[v]);
                FeatureCacheFile.Write(video.FacesFile, new VideoFeatures(frames[v], TestData.VisualSize, row.VisualFeatures, 1, faceFound));
                FeatureCacheFile.Write(video.AudioFile, new VideoFeatures(frames[v], TestData.AudioSize, row.AudioFeatures, 0, []));
                _labels[video.VideoId] = (row.Valence, row.Arousal);
                rows.Add(video);
            }
            Videos = rows;
            Rows = new FeatureCacheRows(Videos, TestData.VisualSize, TestData.AudioSize, v => _labels[v.VideoId], Options());
        }

        public IReadOnlyList<FeatureCacheVideo> Videos { get; }

        public FeatureCacheRows Rows { get; }

        /// <summary>The same rows as plain arrays in memory: the path of any IDataView.</summary>
        public IDataView WholeVideos(MLContext ml) => ml.Data.LoadFromEnumerable(Videos.Select(v =>
        {
            var faces = FeatureCacheFile.TryRead(v.FacesFile, v.Frames, TestData.VisualSize, 1)!;
            var audio = FeatureCacheFile.TryRead(v.AudioFile, v.Frames, TestData.AudioSize, 0)!;
            return new FeatureRow
            {
                VideoId = v.VideoId, VisualFeatures = faces.Values, FaceFound = faces.Extra, AudioFeatures = audio.Values,
                Valence = _labels[v.VideoId].Valence, Arousal = _labels[v.VideoId].Arousal,
            };
        }).ToArray());

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }

    private sealed class Recording(Action<SageTrainingProgress> report) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value) => report(value);
    }
}

using Sage.MLNet.Data;
using Sage.MLNet.Training;

namespace Sage.MLNet.Tests.Training;

/// <summary>The bounded shuffle buffer that streams training clips: coverage, seeding and memory bound.</summary>
[TestClass]
public sealed class ClipShufflerTests
{
    private const int Length = 300;
    private const int Stride = 200;

    // Shorter than a clip, one short, exactly one, one over, and long ones with strided clips and a tail clip.
    private static readonly int[] s_frameCounts = [1, 299, 300, 301, 1234, 57, 2000, 650, 900, 420];

    [TestMethod]
    public void Shuffle_VideosOfMixedLength_YieldsEveryClipExactlyOnce()
    {
        var videos = Videos(s_frameCounts);
        var shuffler = new ClipShuffler(capacity: 4, Length, Stride);

        var clips = shuffler.Shuffle(videos, new Random(1)).Select(c => (c.Name, c.Start)).ToArray();

        var expected = videos.SelectMany(v => ClipPlan.Starts(v.Frames, Length, Stride).Select(s => (v.Name, Start: s))).ToArray();
        Assert.AreEqual(expected.Length, clips.Length, "clips per epoch");
        CollectionAssert.AreEquivalent(expected, clips);
        Assert.AreEqual(clips.Length, clips.Distinct().Count(), "no clip twice");
    }

    [TestMethod]
    public void Shuffle_SameSeed_SameOrder()
    {
        var videos = Videos(s_frameCounts);
        var shuffler = new ClipShuffler(capacity: 8, Length, Stride);

        var first = Order(shuffler, videos, seed: 3);
        var second = Order(shuffler, videos, seed: 3);

        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void Shuffle_DifferentSeed_DifferentOrder()
    {
        var videos = Videos(s_frameCounts);
        var shuffler = new ClipShuffler(capacity: 8, Length, Stride);

        var first = Order(shuffler, videos, seed: 3);
        var second = Order(shuffler, videos, seed: 4);

        CollectionAssert.AreEquivalent(first, second, "the same clips");
        CollectionAssert.AreNotEqual(first, second, "in another order");
        var inPlanOrder = videos.SelectMany(v => ClipPlan.Starts(v.Frames, Length, Stride).Select(s => $"{v.Name}@{s}")).ToArray();
        CollectionAssert.AreNotEqual(inPlanOrder, first, "shuffled, not in reading order");
    }

    [TestMethod]
    public void Shuffle_SmallBuffer_NeverHoldsMoreThanCapacityClips()
    {
        // One clip per video, so videos read from the source and clips taken into the buffer advance together.
        const int capacity = 5;
        var source = new CountingVideos(Videos(Enumerable.Repeat(250, 40).ToArray()));
        var shuffler = new ClipShuffler(capacity, Length, Stride);

        var yielded = 0;
        var mostHeld = 0;
        foreach (var _ in shuffler.Shuffle(source, new Random(2)))
        {
            yielded++;
            // Clips read from the source that the shuffler still holds: read, not yet handed out.
            mostHeld = Math.Max(mostHeld, source.Read - yielded);
        }

        Assert.AreEqual(40, yielded);
        Assert.AreEqual(1, source.Enumerations, "the videos are read once per epoch");
        Assert.AreEqual(capacity, mostHeld, "the buffer fills up to its capacity and no further");
    }

    [TestMethod]
    public void Shuffle_LongVideosSmallBuffer_EachClipHoldsItsVideosFramesWhenYielded()
    {
        const int visualSize = 3, audioSize = 2;
        var videos = new[] { 1234, 57, 2000, 301 }.Select((frames, v) => new SageVideo($"video-{v}", frames,
            Values(frames * visualSize, v), Values(frames * audioSize, v + 10), Values(frames, v + 20), Values(frames, v + 30), Values(frames, v + 40))).ToArray();
        var shuffler = new ClipShuffler(capacity: 3, Length, Stride);

        var checkedClips = 0;
        foreach (var clip in shuffler.Shuffle(videos, new Random(5)))
        {
            var video = videos.Single(v => v.Name == clip.Name);
            var frames = Math.Min(Length, video.Frames - clip.Start);
            Assert.AreEqual(frames, clip.Frames.Frames, $"{clip.Name}@{clip.Start}: frames");
            CollectionAssert.AreEqual(video.Visual[(clip.Start * visualSize)..((clip.Start + frames) * visualSize)], clip.Frames.Visual[..(frames * visualSize)]);
            CollectionAssert.AreEqual(video.Audio[(clip.Start * audioSize)..((clip.Start + frames) * audioSize)], clip.Frames.Audio[..(frames * audioSize)]);
            CollectionAssert.AreEqual(video.Valence![clip.Start..(clip.Start + frames)], clip.Frames.Valence![..frames]);
            CollectionAssert.AreEqual(video.Arousal![clip.Start..(clip.Start + frames)], clip.Frames.Arousal![..frames]);
            CollectionAssert.AreEqual(video.FaceFound![clip.Start..(clip.Start + frames)], clip.Frames.FaceFound![..frames]);
            checkedClips++;
        }

        Assert.AreEqual(videos.Sum(v => ClipPlan.Starts(v.Frames, Length, Stride).Length), checkedClips);
    }

    [TestMethod]
    public void Shuffle_ManyVideos_UsesNoMoreClipSlotsThanCapacity()
    {
        const int capacity = 4;
        var videos = Enumerable.Range(0, 30).Select(v => new SageVideo($"video-{v}", 900, Values(900 * 2, v), Values(900, v), null, null)).ToArray();
        var shuffler = new ClipShuffler(capacity, Length, Stride);

        var slots = new HashSet<ShuffledClip>(ReferenceEqualityComparer.Instance);
        var frameArrays = new HashSet<float[]>(ReferenceEqualityComparer.Instance);
        var clips = 0;
        foreach (var clip in shuffler.Shuffle(videos, new Random(1)))
        {
            slots.Add(clip);
            frameArrays.Add(clip.Frames.Visual);
            clips++;
        }

        Assert.AreEqual(30 * 4, clips, "4 clips per 900-frame video");
        Assert.AreEqual(capacity, slots.Count, "clip slots are reused, so memory does not grow with the number of videos");
        Assert.AreEqual(capacity, frameArrays.Count, "one feature array per slot");
        Assert.IsFalse(videos.Any(v => frameArrays.Contains(v.Visual)), "clips are copies, never the videos' own arrays");
    }

    private static float[] Values(int count, int seed) => [.. Enumerable.Range(0, count).Select(i => seed * 100_000f + i)];

    private static string[] Order(ClipShuffler shuffler, IEnumerable<SageVideo> videos, int seed) =>
        [.. shuffler.Shuffle(videos, new Random(seed)).Select(c => $"{c.Name}@{c.Start}")];

    private static SageVideo[] Videos(int[] frameCounts) =>
        [.. frameCounts.Select((frames, i) => new SageVideo($"video-{i}", frames, [], [], null, null))];

    /// <summary>A source of videos that counts how many have been read so far.</summary>
    private sealed class CountingVideos(IReadOnlyList<SageVideo> videos) : IEnumerable<SageVideo>
    {
        public int Read { get; private set; }

        public int Enumerations { get; private set; }

        public IEnumerator<SageVideo> GetEnumerator()
        {
            Enumerations++;
            foreach (var video in videos)
            {
                Read++;
                yield return video;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

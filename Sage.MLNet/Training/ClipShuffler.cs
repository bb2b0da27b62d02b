using Sage.MLNet.Data;

namespace Sage.MLNet.Training;

/// <summary>
/// Streams the clips of videos in random order through a bounded shuffle buffer, so an epoch never
/// holds more than the buffer's videos in memory however large the data set is.
/// </summary>
internal sealed class ClipShuffler
{
    private readonly int _capacity;
    private readonly int _length;
    private readonly int _stride;

    public ClipShuffler(int capacity, int length, int stride)
    {
        _capacity = capacity;
        _length = length;
        _stride = stride;
    }

    /// <summary>Yields (video, clip start) pairs: every clip of every video exactly once.</summary>
    public IEnumerable<(SageVideo Video, int Start)> Shuffle(IEnumerable<SageVideo> videos, Random random)
    {
        var buffer = new List<(SageVideo, int)>(_capacity);
        foreach (var video in videos)
        {
            foreach (var start in ClipPlan.Starts(video.Frames, _length, _stride))
            {
                if (buffer.Count == _capacity)
                {
                    yield return TakeRandom(buffer, random);
                }
                buffer.Add((video, start));
            }
        }
        while (buffer.Count > 0)
        {
            yield return TakeRandom(buffer, random);
        }
    }

    private static (SageVideo, int) TakeRandom(List<(SageVideo, int)> buffer, Random random)
    {
        var index = random.Next(buffer.Count);
        var item = buffer[index];
        buffer[index] = buffer[^1];
        buffer.RemoveAt(buffer.Count - 1);
        return item;
    }
}

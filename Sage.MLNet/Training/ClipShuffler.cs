using Sage.MLNet.Data;

namespace Sage.MLNet.Training;

/// <summary>
/// Streams the clips of videos in random order through a bounded shuffle buffer. Each clip is copied out of its video
/// into one of the buffer's own slots when it enters, so the buffer holds at most its capacity in clips, never whole
/// videos: memory depends on the clip length and the feature widths, not on how long or how many the videos are.
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

    /// <summary>
    /// Yields every clip of every video exactly once. A yielded clip's <see cref="ShuffledClip.Frames"/> lives in a slot
    /// that the next clip may overwrite: copy what you need before asking for the next.
    /// </summary>
    public IEnumerable<ShuffledClip> Shuffle(IEnumerable<SageVideo> videos, Random random)
    {
        var buffer = new List<ShuffledClip>(_capacity);
        ShuffledClip? free = null;       // the slot handed out last, refilled by the next clip
        foreach (var video in videos)
        {
            foreach (var start in ClipPlan.Starts(video.Frames, _length, _stride))
            {
                if (buffer.Count == _capacity)
                {
                    free = TakeRandom(buffer, random);
                    yield return free;
                }
                var slot = free ?? new ShuffledClip(_length);
                free = null;
                slot.Fill(video, start);
                buffer.Add(slot);
            }
        }
        while (buffer.Count > 0)
        {
            yield return TakeRandom(buffer, random);
        }
    }

    private static ShuffledClip TakeRandom(List<ShuffledClip> buffer, Random random)
    {
        var index = random.Next(buffer.Count);
        var item = buffer[index];
        buffer[index] = buffer[^1];
        buffer.RemoveAt(buffer.Count - 1);
        return item;
    }
}

/// <summary>One clip in the shuffle buffer: its video's name, where it starts there, and a copy of its frames.</summary>
internal sealed class ShuffledClip
{
    private readonly int _length;
    private float[] _visual = [], _audio = [], _valence = [], _arousal = [], _faceFound = [];

    public ShuffledClip(int length) => _length = length;

    public string Name { get; private set; } = "";

    /// <summary>The clip's first frame in its video.</summary>
    public int Start { get; private set; }

    /// <summary>The clip's frames from its first on, as a video of at most the clip length (shorter at a video's end).</summary>
    public SageVideo Frames { get; private set; } = null!;

    /// <summary>Copies the clip of <paramref name="video"/> that starts at <paramref name="start"/> into this slot's arrays.</summary>
    public void Fill(SageVideo video, int start)
    {
        var frames = Math.Min(_length, video.Frames - start);
        int dv = video.VisualWidth, da = video.AudioWidth;
        Name = video.Name;
        Start = start;
        video.CopyVisual(start, Slot(ref _visual, dv)[..(frames * dv)]);
        video.CopyAudio(start, Slot(ref _audio, da)[..(frames * da)]);
        Frames = new SageVideo(video.Name, frames, _visual, _audio,
            video.Valence is null ? null : Copy(video.Valence, start, frames, ref _valence),
            video.Arousal is null ? null : Copy(video.Arousal, start, frames, ref _arousal),
            video.FaceFound is null ? null : Copy(video.FaceFound, start, frames, ref _faceFound));
    }

    /// <summary>Returns <paramref name="slot"/>, made once at a full clip's size of <paramref name="perFrame"/> values per frame.</summary>
    private Span<float> Slot(ref float[] slot, int perFrame)
    {
        if (slot.Length < _length * perFrame)
        {
            slot = new float[_length * perFrame];
        }
        return slot;
    }

    /// <summary>Copies <paramref name="count"/> per-frame values from <paramref name="offset"/> into <paramref name="slot"/>.</summary>
    private float[] Copy(float[] source, int offset, int count, ref float[] slot)
    {
        source.AsSpan(offset, count).CopyTo(Slot(ref slot, 1));
        return slot;
    }
}

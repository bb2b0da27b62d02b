namespace Sage.MLNet.Live;

/// <summary>One frame's place in the ring: its features, computed once, and what the output says of it.</summary>
internal sealed class LiveSlot(int visualSize, int audioSize, int tcnSize)
{
    public int Frame { get; set; } = -1;

    /// <summary>The frame's time as pushed, in seconds.</summary>
    public double Time { get; set; }

    /// <summary>When it was pushed, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long Arrived { get; set; }

    /// <summary>Whether its image was dropped before its face was looked for.</summary>
    public bool Dropped { get; set; }

    /// <summary>Whether <see cref="Visual"/> holds the encoding of this frame's own face crop.</summary>
    public bool HasFace { get; set; }

    /// <summary>Whether <see cref="Audio"/> is final; until then it is recomputed from the mel frames so far.</summary>
    public bool AudioFinal { get; set; }

    public float[] Visual { get; } = new float[visualSize];

    public float[] Audio { get; } = new float[audioSize];

    /// <summary>Both TCNs' outputs at this frame, [D], as last computed (see <see cref="TcnInputsTaken"/>).</summary>
    public float[] Tcn { get; } = new float[tcnSize];

    /// <summary>Whether this frame's features have been fed to the TCN; then <see cref="TcnFaceSource"/> and <see cref="TcnAudioFinal"/> say which.</summary>
    public bool TcnInputsTaken { get; set; }

    /// <summary>The frame whose face encoding stood for this frame's visual features when the TCN last read them (−1: zeros).</summary>
    public int TcnFaceSource { get; set; }

    /// <summary>Whether this frame's audio features were final when the TCN last read them.</summary>
    public bool TcnAudioFinal { get; set; }
}

/// <summary>
/// The per-frame features of the last <c>capacity</c> frames, frame f in slot f mod capacity: every frame is featurised
/// once, when it arrives, and a window is assembled from here without computing anything of a frame again.
/// </summary>
internal sealed class LiveFrameRing
{
    private readonly LiveSlot[] _slots;

    public LiveFrameRing(int capacity, int visualSize, int audioSize, int tcnSize)
    {
        _slots = new LiveSlot[capacity];
        for (var i = 0; i < capacity; i++)
        {
            _slots[i] = new LiveSlot(visualSize, audioSize, tcnSize);
        }
    }

    public int Capacity => _slots.Length;

    /// <summary>Returns frame <paramref name="frame"/>'s slot, or null when it has left the ring (or never entered).</summary>
    public LiveSlot? Find(int frame) => frame >= 0 && _slots[frame % _slots.Length] is { } slot && slot.Frame == frame ? slot : null;

    /// <summary>Returns the slot of frame <paramref name="frame"/>, emptied, replacing the frame <see cref="Capacity"/> before it.</summary>
    public LiveSlot Claim(int frame, double time, long arrived, bool dropped)
    {
        var slot = _slots[frame % _slots.Length];
        slot.Frame = frame;
        slot.Time = time;
        slot.Arrived = arrived;
        slot.Dropped = dropped;
        slot.HasFace = false;
        slot.AudioFinal = false;
        slot.TcnInputsTaken = false;
        return slot;
    }
}

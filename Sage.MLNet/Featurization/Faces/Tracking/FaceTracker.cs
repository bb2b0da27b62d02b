namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Follows faces from frame to frame: each detection joins the track whose last box overlaps it most (intersection over
/// union at least <see cref="MinOverlap"/>), otherwise starts a track; a track missed for more than the gap limit ends.
/// Each track's pose is smoothed over time. Frames are given in order, one at a time, so it also serves a live stream.
/// </summary>
internal sealed class FaceTracker(int maxGapFrames, double smoothingCutoff, double smoothingBeta)
{
    public const float MinOverlap = 0.3f;

    private readonly List<FaceTrack> _active = [];
    private readonly List<FaceTrack> _ended = [];
    private int _nextId;

    /// <summary>Tracks still followed.</summary>
    public IReadOnlyList<FaceTrack> Active => _active;

    /// <summary>
    /// Takes one frame's detections; with <paramref name="detections"/> null the frame was not searched (a skipped frame
    /// when detecting every k-th frame), so tracks move on at the speed of their last two detections and count as seen.
    /// </summary>
    public void Update(int frame, double time, IReadOnlyList<SageFaceDetection>? detections)
    {
        if (detections is null)
        {
            foreach (var track in _active)
            {
                track.Hold(frame, time);
            }
            return;
        }
        var poses = detections.Select(FacePose.Of).ToList();
        var pairs = new List<(float Overlap, FaceTrack Track, int Detection)>();
        foreach (var track in _active)
        {
            for (var d = 0; d < poses.Count; d++)
            {
                var overlap = track.Pose.IntersectionOverUnion(poses[d].Box);
                if (overlap >= MinOverlap)
                {
                    pairs.Add((overlap, track, d));
                }
            }
        }
        var taken = new HashSet<int>();
        var matched = new HashSet<FaceTrack>();
        foreach (var (_, track, d) in pairs.OrderByDescending(p => p.Overlap))
        {
            if (!matched.Contains(track) && taken.Add(d))
            {
                matched.Add(track);
                track.See(frame, time, poses[d], detections[d].Score);
            }
        }
        foreach (var track in _active.Where(t => !matched.Contains(t)))
        {
            track.Miss(frame);
        }
        _ended.AddRange(_active.Where(t => t.Missed > maxGapFrames));
        _active.RemoveAll(t => t.Missed > maxGapFrames);
        for (var d = 0; d < poses.Count; d++)
        {
            if (!taken.Contains(d))
            {
                var track = new FaceTrack(_nextId++, new OneEuroFilter(smoothingCutoff, smoothingBeta));
                track.See(frame, time, poses[d], detections[d].Score);
                _active.Add(track);
            }
        }
    }

    /// <summary>Ends every track and returns all of them, in order of creation.</summary>
    public List<FaceTrack> Finish()
    {
        _ended.AddRange(_active);
        _active.Clear();
        return [.. _ended.OrderBy(t => t.Id)];
    }
}

/// <summary>One followed face: its smoothed pose, when it was last seen, and how much it was on screen.</summary>
internal sealed class FaceTrack(int id, OneEuroFilter smoother)
{
    public int Id { get; } = id;

    public FacePose Pose { get; private set; }

    public int FirstFrame { get; private set; } = -1;

    public int LastFrame { get; private set; } = -1;

    /// <summary>Detections missed in a row since it was last seen.</summary>
    public int Missed { get; private set; }

    /// <summary>The sum over the frames it was seen of its box's area, in pixels²: "largest × longest on screen".</summary>
    public double Presence { get; private set; }

    /// <summary>The mean horizontal centre of its detected boxes, in pixels: who is on the left and who on the right.</summary>
    public double MeanCentreX => _detections == 0 ? 0 : _centreSum / _detections;

    private double _centreSum;
    private int _detections;

    /// <summary>The first frame of the pose as it was first seen, before smoothing (for joining fragments of one person).</summary>
    public FacePose FirstPose { get; private set; }

    /// <summary>The smoothed pose at the last detection, its time, and how fast each pose value moved between the last two detections (per second).</summary>
    private float[]? _seenValues;
    private double _seenTime;
    private float[]? _velocity;

    public void See(int frame, double time, FacePose pose, float score)
    {
        var values = pose.ToArray();
        smoother.Apply(values, time);
        if (_seenValues is not null && time > _seenTime)
        {
            _velocity ??= new float[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                _velocity[i] = (float)((values[i] - _seenValues[i]) / (time - _seenTime));
            }
        }
        _seenValues = values;
        _seenTime = time;
        Pose = FacePose.FromArray(values);
        if (FirstFrame < 0)
        {
            FirstFrame = frame;
            FirstPose = pose;
        }
        LastFrame = frame;
        Missed = 0;
        Presence += Math.Max(0, pose.Box.Width) * Math.Max(0, pose.Box.Height);
        _centreSum += pose.Box.X + pose.Box.Width / 2;
        _detections++;
    }

    /// <summary>A frame that was not searched: the pose moves on from the last detection at the last speed (constant velocity).</summary>
    public void Hold(int frame, double time)
    {
        if (Missed == 0)
        {
            if (_seenValues is not null && _velocity is not null && time > _seenTime)
            {
                var values = new float[_seenValues.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = _seenValues[i] + (float)(_velocity[i] * (time - _seenTime));
                }
                Pose = FacePose.FromArray(values);
            }
            LastFrame = frame;
            Presence += Math.Max(0, Pose.Box.Width) * Math.Max(0, Pose.Box.Height);
        }
    }

    public void Miss(int frame) => Missed++;
}

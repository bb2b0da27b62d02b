namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Joins the tracks of one video into people and picks the main one. A track that starts after another ended, near
/// where it ended and about its size, continues that person (a face lost for longer than the gap limit and found again).
/// </summary>
/// <remarks>The main person is the one with the largest presence: the sum over the frames they were on screen of their
/// face box's area, i.e. largest × longest on screen. Ties go to the one seen first.</remarks>
internal static class FacePeople
{
    /// <summary>Returns the people, each a list of track ids, main person first, then by presence.</summary>
    public static List<FacePerson> Group(IReadOnlyList<FaceTrack> tracks)
    {
        var people = new List<FacePerson>();
        foreach (var track in tracks.OrderBy(t => t.FirstFrame))
        {
            var person = people
                .Where(p => p.LastFrame < track.FirstFrame && Continues(p.LastPose, track.FirstPose))
                .OrderByDescending(p => p.LastFrame)
                .FirstOrDefault();
            if (person is null)
            {
                people.Add(person = new FacePerson());
            }
            person.Add(track);
        }
        return [.. people.OrderByDescending(p => p.Presence).ThenBy(p => p.FirstFrame)];
    }

    private static bool Continues(FacePose last, FacePose first)
    {
        var size = Math.Max(last.Box.Width, 1f);
        var dx = (last.Box.X + last.Box.Width / 2) - (first.Box.X + first.Box.Width / 2);
        var dy = (last.Box.Y + last.Box.Height / 2) - (first.Box.Y + first.Box.Height / 2);
        var ratio = first.Box.Width / size;
        return MathF.Sqrt(dx * dx + dy * dy) < size && ratio is > 0.67f and < 1.5f;
    }
}

/// <summary>The tracks of one person, in time order.</summary>
internal sealed class FacePerson
{
    public List<int> TrackIds { get; } = [];

    public double Presence { get; private set; }

    public int FirstFrame { get; private set; } = int.MaxValue;

    public int LastFrame { get; private set; } = -1;

    public FacePose LastPose { get; private set; }

    /// <summary>The mean horizontal centre of the person's face boxes, in pixels, weighted by each track's detections.</summary>
    public double MeanCentreX => _weight == 0 ? 0 : _centreSum / _weight;

    private double _centreSum;
    private double _weight;

    public void Add(FaceTrack track)
    {
        TrackIds.Add(track.Id);
        Presence += track.Presence;
        FirstFrame = Math.Min(FirstFrame, track.FirstFrame);
        LastFrame = track.LastFrame;
        LastPose = track.Pose;
        _centreSum += track.MeanCentreX * track.Presence;
        _weight += track.Presence;
    }
}

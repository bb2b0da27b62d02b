using System.Diagnostics;
using SkiaSharp;
using Sage.MLNet.Media;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>One aligned face crop, JPEG-encoded, of one tracked face in one frame.</summary>
internal sealed record TrackedCrop(int Frame, double Time, int TrackId, byte[] Jpeg);

/// <summary>
/// The per-frame path: decode is the caller's; this detects (every k-th frame), tracks, aligns and encodes, one frame
/// at a time, and never needs the frames that follow. A live stream can feed it as well as a file.
/// </summary>
/// <remarks>
/// A crop of a frame where a track was missed (within the gap limit) is held back, and given out only when the same
/// track is seen again, so bridged gaps are filled and a face that left does not leave stale crops behind. Crops are
/// therefore given out at most the gap limit of frames late.
/// </remarks>
internal sealed class FaceFrameProcessor : IDisposable
{
    private const int JpegQuality = 95;

    private readonly ISageFaceDetector _detector;
    private readonly int _detectEvery;
    private readonly FaceTracker _tracker;
    private readonly SKBitmap _crop;
    private readonly Dictionary<int, List<TrackedCrop>> _heldBack = [];

    public FaceFrameProcessor(ISageFaceDetector detector, SageFaceExtractionOptions options)
    {
        _detector = detector;
        _detectEvery = options.DetectEveryFrames;
        _tracker = new FaceTracker(options.MaxGapFrames, options.SmoothingCutoff, options.SmoothingBeta);
        _crop = new SKBitmap(new SKImageInfo(options.CropSize, options.CropSize, SKColorType.Rgba8888, SKAlphaType.Unpremul));
    }

    public FaceExtractionTimings Timings { get; } = new();

    /// <summary>The tracks followed after the last frame, for measuring what skipping detections costs.</summary>
    public IReadOnlyList<FaceTrack> Tracks => _tracker.Active;

    /// <summary>The tracks followed now (a live stream picks its main face among them).</summary>
    public IReadOnlyList<FaceTrack> ActiveTracks => _tracker.Active;

    /// <summary>Processes one frame and returns the crops now certain: this frame's seen tracks, and held-back crops of tracks seen again.</summary>
    public List<TrackedCrop> Process(VideoFrame frame)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<SageFaceDetection>? detections = null;
        // Between every k-th frame the tracks hold their pose; the detector runs at once whenever there is nothing to
        // follow (a face that appears is found in its first frame) or a track was missed (so it is found again or ends).
        if (frame.Index % _detectEvery == 0 || _tracker.Active.Count == 0 || _tracker.Active.Any(t => t.Missed > 0))
        {
            detections = _detector.Detect(frame.Rgba, frame.Width, frame.Height);
            Timings.Detect += clock.Elapsed;
            Timings.DetectedFrames++;
            clock.Restart();
        }
        _tracker.Update(frame.Index, frame.Time, detections);
        Timings.Track += clock.Elapsed;
        var crops = new List<TrackedCrop>();
        foreach (var track in _tracker.Active)
        {
            clock.Restart();
            FaceAligner.Crop(frame.Rgba, frame.Width, frame.Height, track.Pose, _crop);
            Timings.Align += clock.Elapsed;
            clock.Restart();
            using var data = _crop.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
            var crop = new TrackedCrop(frame.Index, frame.Time, track.Id, data.ToArray());
            Timings.Encode += clock.Elapsed;
            if (track.Missed > 0)
            {
                Held(track.Id).Add(crop);
                continue;
            }
            if (_heldBack.Remove(track.Id, out var held))
            {
                crops.AddRange(held);
            }
            crops.Add(crop);
        }
        // Crops held for tracks that ended are dropped: the gap was never closed.
        foreach (var id in _heldBack.Keys.Where(id => _tracker.Active.All(t => t.Id != id)).ToList())
        {
            _heldBack.Remove(id);
        }
        return crops;
    }

    /// <summary>
    /// Runs the detector once on a blank frame of the given size and returns a JPEG crop of it, without touching the tracks
    /// or the timings: the first run of an ONNX Runtime session (and of the crop code) costs several times a later one, and a
    /// live stream warms up before its first frame rather than on it.
    /// </summary>
    public byte[] Warm(int width, int height)
    {
        var blank = new byte[checked(width * height * 4)];
        _detector.Detect(blank, width, height);
        var side = Math.Min(width, height) / 2f;
        var box = new System.Drawing.RectangleF((width - side) / 2, (height - side) / 2, side, side);
        var pose = new FacePose(box, new System.Drawing.PointF(box.X + side * 0.3f, box.Y + side * 0.4f),
            new System.Drawing.PointF(box.X + side * 0.7f, box.Y + side * 0.4f), new System.Drawing.PointF(box.X + side * 0.5f, box.Y + side * 0.75f));
        FaceAligner.Crop(blank, width, height, pose, _crop);
        using var data = _crop.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return data.ToArray();
    }

    /// <summary>Ends every track and returns them all.</summary>
    public List<FaceTrack> Finish()
    {
        _heldBack.Clear();
        return _tracker.Finish();
    }

    public void Dispose() => _crop.Dispose();

    private List<TrackedCrop> Held(int track)
    {
        if (!_heldBack.TryGetValue(track, out var held))
        {
            _heldBack[track] = held = [];
        }
        return held;
    }
}

/// <summary>Where one video's extraction spent its time, stage by stage.</summary>
internal sealed class FaceExtractionTimings
{
    public TimeSpan Decode { get; set; }

    public TimeSpan Detect { get; set; }

    public TimeSpan Track { get; set; }

    public TimeSpan Align { get; set; }

    public TimeSpan Encode { get; set; }

    public TimeSpan Write { get; set; }

    public int Frames { get; set; }

    public int DetectedFrames { get; set; }

    public void Add(FaceExtractionTimings other)
    {
        Decode += other.Decode;
        Detect += other.Detect;
        Track += other.Track;
        Align += other.Align;
        Encode += other.Encode;
        Write += other.Write;
        Frames += other.Frames;
        DetectedFrames += other.DetectedFrames;
    }
}

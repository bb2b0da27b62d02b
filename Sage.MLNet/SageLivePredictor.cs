using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.ML;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Live;
using Sage.MLNet.Media;

namespace Sage.MLNet;

/// <summary>
/// Scores a live stream frame by frame with a saved model: push each frame (its image, the audio since the previous
/// frame, its time) as it arrives, and read per-frame valence and arousal a fixed number of frames later.
/// Open one with <see cref="SageModel.OpenLive"/>; dispose it when done.
/// </summary>
/// <remarks>
/// <para>Each frame is featurised once, when it arrives, on the predictor's own thread: face detection (every
/// <see cref="SageLiveOptions.DetectEveryFrames"/> frames), tracking and alignment as <see cref="SageFaceExtractionTransformer"/>
/// does for a file, the face encoder on the crop of the main face (the track with the largest presence so far), and log-mel
/// statistics of the audio; the features are kept in a ring of the last <see cref="ContextFrames"/> frames. Each modality's
/// TCN output is kept there too: the TCN looks a fixed number of frames R each way (14 for the default 3 levels of kernel 3),
/// so each run computes only the new frames and the last R of the previous run (computed then with zeros past its newest
/// frame, as at a clip's end), from R frames of context. Only the fusion, Transformer and head depend on the whole window;
/// they rerun on the latest window once every <see cref="SageLiveOptions.RecomputeEveryFrames"/> frames, and frame t's
/// result is given from the first window that reaches t + <see cref="LookaheadFrames"/>. A model saved before its graph
/// named the TCNs' output runs its whole graph on each window instead.</para>
/// <para>Frames wait in a queue of <see cref="SageLiveOptions.QueueCapacity"/> images. When it is full, the oldest waiting
/// image is dropped and its frame keeps only a small marker: it still gets a result, with <see cref="SageLiveResult.Dropped"/>
/// set, computed with the previous frame's face and its own audio. Results wait in a bounded channel; a reader that falls
/// far behind makes the predictor wait, and frames are dropped instead.</para>
/// <para><see cref="Push"/> may be called from one thread at a time; <see cref="ReadResultsAsync"/> from one reader.</para>
/// </remarks>
public sealed class SageLivePredictor : IDisposable
{
    private const int ResultCapacity = 1024;

    private readonly LiveModel _model;
    private readonly FaceFrameProcessor _faces;
    private readonly LiveAudio _audio;
    private readonly Lock _audioLock = new();
    private readonly LiveFrameRing _ring;
    private readonly Queue<Pushed> _queue = new();
    private readonly Lock _queueLock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Channel<SageLiveResult> _results = Channel.CreateBounded<SageLiveResult>(
        new BoundedChannelOptions(ResultCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Stack<VideoFrame> _spareImages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly int _recomputeEvery;
    private readonly int _queueCapacity;
    private readonly int _maxBatch;
    private readonly Task _worker;
    private readonly float[] _fullVisual;
    private readonly float[] _fullAudio;
    private readonly int[] _faceSources;
    private readonly float[] _tcnVisual;
    private readonly float[] _tcnAudio;
    private readonly float[] _tcnOutput;
    private readonly float[] _window;
    private readonly float[] _valence;
    private readonly float[] _arousal;
    private readonly float[] _reliability;
    private readonly float[] _faceImage;

    // Producer side (Push).
    private int _nextFrame;
    private double _firstTime = double.NaN;
    private double _lastTime = double.NaN;
    private double? _framesPerSecond;
    private int _waitingImages;
    private bool _completed;
    private long _framesDropped;

    // Worker side.
    private int _newest = -1;
    private int _emitted = -1;
    private long _framesScored;
    private long _windows;
    private int _mainTrack = -1;
    private int _tcnCompleteThrough = -1;

    internal SageLivePredictor(LiveModel model, SageLiveOptions options)
    {
        _model = model;
        ContextFrames = options.ContextFrames ?? model.WindowLength;
        LookaheadFrames = options.LookaheadFrames;
        _queueCapacity = options.QueueCapacity;
        _framesPerSecond = options.FramesPerSecond;
        // Frames not yet given must stay inside the window: at most ContextFrames − LookaheadFrames of them may wait.
        _recomputeEvery = Math.Min(options.RecomputeEveryFrames, ContextFrames - LookaheadFrames);
        _maxBatch = options.CatchUp ? Math.Max(_recomputeEvery, Math.Min(25, ContextFrames - LookaheadFrames)) : _recomputeEvery;
        var extraction = model.Extraction.Copy();
        extraction.DetectEveryFrames = options.DetectEveryFrames;
        _faces = new FaceFrameProcessor(model.Detector, extraction);
        _audio = new LiveAudio(model.MelBands);
        var network = model.Network;
        _ring = new LiveFrameRing(ContextFrames, model.Faces.FeatureSize, _audio.FeatureSize, network.FusedSize);
        _fullVisual = new float[ContextFrames * model.Faces.FeatureSize];
        _fullAudio = new float[ContextFrames * _audio.FeatureSize];
        _faceSources = new int[ContextFrames];
        _tcnVisual = new float[ContextFrames * model.Faces.FeatureSize];
        _tcnAudio = new float[ContextFrames * _audio.FeatureSize];
        _tcnOutput = new float[ContextFrames * network.FusedSize];
        _window = new float[ContextFrames * network.FusedSize];
        _valence = new float[ContextFrames];
        _arousal = new float[ContextFrames];
        _reliability = new float[ContextFrames];
        _faceImage = new float[model.Faces.ImageSize];
        var warmed = new TaskCompletionSource();
        _worker = Task.Factory.StartNew(() => Run(warmed, _stop.Token), _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Frames are accepted once every session has run once, on the thread that will run them (see Warm).
        warmed.Task.GetAwaiter().GetResult();
    }

    /// <summary>Gets how many frames after a frame must have arrived before its result is given.</summary>
    public int LookaheadFrames { get; }

    /// <summary>Gets how many frames, up to the newest, the network sees each time it runs.</summary>
    public int ContextFrames { get; }

    /// <summary>Gets whether each frame's TCN output is computed once and kept (false: the model's graph does not name the TCNs' output, as in a model saved before it was named or a combination of several networks, so the whole network reruns on each window, several times the work; save the model again from its training to get the faster path).</summary>
    public bool PerFrameTcn => _model.Network.PerFrameTcn;

    /// <summary>Gets whether the model carried its face extraction settings (false: the library's defaults detect and align the faces, as for a model trained on crops made elsewhere).</summary>
    public bool ExtractionSaved => _model.ExtractionSaved;

    /// <summary>Gets the number of frames pushed so far.</summary>
    public long FramesIn => Volatile.Read(ref _nextFrame);

    /// <summary>Gets the number of frames whose image was dropped because the predictor had fallen behind.</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDropped);

    /// <summary>Gets the number of results given for frames whose image was featurised (not dropped).</summary>
    public long FramesScored => Interlocked.Read(ref _framesScored);

    /// <summary>Gets the number of times the network has run on a window.</summary>
    public long WindowsScored => Interlocked.Read(ref _windows);

    /// <summary>Called on the predictor's thread with each window's first frame and its features, [n, Dv] and [n, Da], before the network runs (tests compare them with offline features).</summary>
    internal Action<int, float[], float[]>? WindowAssembled { get; set; }

    /// <summary>Called on the predictor's thread after each network run with the window's first frame, its length, its features ([n, Dv], [n, Da]) and the TCN outputs kept for it ([n, D]; tests compare them with the TCN run on the whole window).</summary>
    internal Action<int, int, float[], float[], float[]>? WindowScored { get; set; }

    /// <summary>Where the predictor's thread spends its time (the benchmark prints it).</summary>
    internal LiveTimings Timings { get; } = new();

    /// <summary>Where face detection, tracking, alignment and crop encoding spent their time; read after the stream ends.</summary>
    internal FaceExtractionTimings FaceTimings => _faces.Timings;

    /// <summary>Gets the audio samples received so far, at 16 kHz.</summary>
    public long AudioSamples
    {
        get
        {
            lock (_audioLock)
            {
                return _audio.SampleCount;
            }
        }
    }

    /// <summary>Hands one frame to the predictor without waiting: its image is queued, its audio taken at once.</summary>
    /// <param name="time">The frame's time in seconds, later than the previous frame's.</param>
    /// <param name="rgba">The image: <paramref name="width"/> × <paramref name="height"/> × 4 bytes, row-major, R G B A (copied).</param>
    /// <param name="width">The image's width in pixels.</param>
    /// <param name="height">The image's height in pixels.</param>
    /// <param name="audio">The audio since the previous frame: 16 kHz mono samples in [−1, 1] (may be empty). The waveform is taken to start at the first frame's time.</param>
    /// <exception cref="ArgumentException">The image's size does not match, or the time is not later than the previous frame's.</exception>
    /// <exception cref="InvalidOperationException">The stream was completed, or the predictor failed or was disposed.</exception>
    public void Push(double time, ReadOnlySpan<byte> rgba, int width, int height, ReadOnlySpan<float> audio)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgba.Length != (long)width * height * 4)
        {
            throw new ArgumentException($"The image has {rgba.Length} bytes; a {width} × {height} RGBA image has {(long)width * height * 4}", nameof(rgba));
        }
        if (!double.IsFinite(time) || time <= _lastTime)
        {
            throw new ArgumentException($"Frame {_nextFrame}'s time {time} s is not later than the previous frame's ({_lastTime} s)", nameof(time));
        }
        if (_completed || _worker.IsCompleted)
        {
            throw new InvalidOperationException(_worker.IsFaulted
                ? $"The live predictor stopped: {_worker.Exception?.InnerException?.Message}"
                : "The live stream was completed or the predictor disposed; no more frames can be pushed");
        }
        if (double.IsNaN(_firstTime))
        {
            _firstTime = time;
        }
        else if (_framesPerSecond is null)
        {
            _framesPerSecond = 1 / (time - _lastTime);
        }
        _lastTime = time;
        var audioStart = Stopwatch.GetTimestamp();
        lock (_audioLock)
        {
            _audio.Append(audio);
        }
        Timings.AddAudio(audioStart);
        VideoFrame image;
        lock (_queueLock)
        {
            image = _spareImages.Count > 0 && _spareImages.Peek() is { } spare && spare.Width == width && spare.Height == height
                ? _spareImages.Pop()
                : new VideoFrame(width, height);
        }
        rgba.CopyTo(image.Rgba);
        image.Index = _nextFrame;
        image.Time = time;
        var pushed = new Pushed(_nextFrame, time, Stopwatch.GetTimestamp()) { Image = image };
        lock (_queueLock)
        {
            if (_waitingImages == _queueCapacity)
            {
                // Drop the oldest waiting image: fresh frames matter more than late ones.
                var oldest = _queue.First(p => p.Image is not null);
                Recycle(oldest.Image!);
                oldest.Image = null;
                _waitingImages--;
                _framesDropped++;
            }
            _queue.Enqueue(pushed);
            _waitingImages++;
        }
        Interlocked.Increment(ref _nextFrame);
        _signal.Release();
    }

    /// <summary>Ends the stream: the frames still waiting are featurised and every frame gets its result (the last ones with less lookahead), then <see cref="ReadResultsAsync"/> ends.</summary>
    public void Complete()
    {
        lock (_queueLock)
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
        }
        _signal.Release();
    }

    /// <summary>Returns the results in frame order as they are computed, ending after <see cref="Complete"/> once every frame has its result.</summary>
    /// <param name="cancellationToken">Stops the enumeration (not the predictor).</param>
    /// <exception cref="InvalidDataException">A frame could not be featurised; the message names it.</exception>
    public IAsyncEnumerable<SageLiveResult> ReadResultsAsync(CancellationToken cancellationToken = default) =>
        _results.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Stops the predictor's thread at once (results not yet given are lost) and releases the model, its encoders and ONNX sessions.</summary>
    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }
        try
        {
            _worker.Wait();
        }
        catch (AggregateException)
        {
            // The failure was handed to the reader.
        }
        _faces.Dispose();
        _audio.Dispose();
        _model.Dispose();
        _signal.Dispose();
        _stop.Dispose();
    }

    private void Run(TaskCompletionSource warmed, CancellationToken token)
    {
        try
        {
            Warm();
        }
        catch (Exception e)
        {
            _results.Writer.TryComplete(e);
            warmed.SetException(e);
            return;
        }
        warmed.SetResult();
        try
        {
            while (true)
            {
                _signal.Wait(token);
                Pushed item;
                bool backlog;
                lock (_queueLock)
                {
                    if (_queue.Count == 0)
                    {
                        if (_completed)
                        {
                            break;
                        }
                        continue;
                    }
                    item = _queue.Dequeue();
                    if (item.Image is not null)
                    {
                        _waitingImages--;
                    }
                    backlog = _waitingImages > 0;
                }
                Place(item);
                Score(final: false, backlog, token);
            }
            Score(final: true, backlog: false, token);
            _results.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _results.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _results.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>
    /// Runs every session once before the first frame is accepted: the detector and the crop code on a blank 640 × 360 frame,
    /// the face encoder on that crop, the TCN on one run's worth of frames and the window part on a full window. A session's
    /// first run costs several times a later one (allocating its memory arena, its first kernels); done on the first frame,
    /// it put the predictor far enough behind a stream's first burst of frames to drop some.
    /// </summary>
    private void Warm()
    {
        var crop = _faces.Warm(640, 360);
        _model.Faces.EncodeImage(crop, "the warm-up crop", new float[_model.Faces.FeatureSize], _faceImage);
        var network = _model.Network;
        if (network.PerFrameTcn)
        {
            var frames = Math.Min(ContextFrames, 2 * network.Radius + _maxBatch);
            network.RunTcn(_tcnVisual, _tcnAudio, frames, _tcnOutput);
            network.RunWindow(_window, ContextFrames, _valence, _arousal, _reliability);
        }
        else
        {
            network.RunWhole(_fullVisual, _fullAudio, ContextFrames, _valence, _arousal, _reliability);
        }
    }

    /// <summary>Featurises one frame's face (its audio was taken at push) into its slot; a dropped frame gets an empty slot.</summary>
    private void Place(Pushed item)
    {
        _ring.Claim(item.Frame, item.Time, item.Arrived, dropped: item.Image is null);
        _newest = item.Frame;
        if (item.Image is not { } image)
        {
            return;
        }
        List<TrackedCrop> crops;
        try
        {
            crops = _faces.Process(image);
        }
        finally
        {
            lock (_queueLock)
            {
                Recycle(image);
            }
        }
        // The main face: of the tracks seen in this frame, the one on screen the most so far (offline, the person with the
        // largest presence over the whole video). A track that lost the face keeps its crops held back, and is main again
        // only when seen again.
        var main = _faces.ActiveTracks.Where(t => t.Missed == 0).OrderByDescending(t => t.Presence).FirstOrDefault();
        if (main is not null)
        {
            _mainTrack = main.Id;
        }
        foreach (var crop in crops)
        {
            // A crop held back over a missed detection lands in its own frame, if that frame is not given yet.
            if (crop.TrackId == _mainTrack && crop.Frame > _emitted && _ring.Find(crop.Frame) is { } target)
            {
                var encodeStart = Stopwatch.GetTimestamp();
                _model.Faces.EncodeImage(crop.Jpeg, $"live frame {crop.Frame}", target.Visual, _faceImage);
                Timings.AddFaceEncode(encodeStart);
                target.HasFace = true;
            }
        }
    }

    /// <summary>Runs the network on the latest window when enough frames are ready (all of them at the end) and gives their results.</summary>
    private void Score(bool final, bool backlog, CancellationToken token)
    {
        var ready = final ? _newest : _newest - LookaheadFrames;
        var pending = ready - _emitted;
        if (pending <= 0 || !final && (pending < _recomputeEvery || backlog && pending < _maxBatch))
        {
            return;
        }
        var assembleStart = Stopwatch.GetTimestamp();
        var start = Math.Max(0, _newest - ContextFrames + 1);
        var count = _newest - start + 1;
        int dv = _model.Faces.FeatureSize, da = _audio.FeatureSize;
        var visual = count == ContextFrames ? _fullVisual : new float[count * dv];
        var audio = count == ContextFrames ? _fullAudio : new float[count * da];
        var halfWidth = 0.5 / (_framesPerSecond ?? 25);
        LiveSlot? face = null;
        for (var t = start; t <= _newest && face is null; t++)
        {
            face = _ring.Find(t) is { HasFace: true } s ? s : null;
        }
        lock (_audioLock)
        {
            for (var t = start; t <= _newest; t++)
            {
                var slot = _ring.Find(t) ?? throw new InvalidOperationException($"live frame {t} left the ring before it was scored");
                if (slot.HasFace)
                {
                    face = slot;
                }
                // Frames without a face take the nearest earlier face (the first one in the window before any), as offline.
                var visualRow = visual.AsSpan((t - start) * dv, dv);
                if (face is not null)
                {
                    face.Visual.CopyTo(visualRow);
                }
                else
                {
                    visualRow.Clear();
                }
                _faceSources[t - start] = face?.Frame ?? -1;
                if (!slot.AudioFinal)
                {
                    slot.AudioFinal = _audio.Write(slot.Time - _firstTime, halfWidth, slot.Audio);
                }
                slot.Audio.CopyTo(audio.AsSpan((t - start) * da, da));
            }
            _audio.Forget(_ring.Find(start)!.Time - _firstTime, halfWidth);
        }
        Timings.AddAssemble(assembleStart);
        WindowAssembled?.Invoke(start, visual, audio);
        var network = _model.Network;
        if (network.PerFrameTcn)
        {
            var tcnStart = Stopwatch.GetTimestamp();
            UpdateTcn(start, visual, audio);
            var d = network.FusedSize;
            for (var t = start; t <= _newest; t++)
            {
                _ring.Find(t)!.Tcn.CopyTo(_window.AsSpan((t - start) * d, d));
            }
            Timings.AddTcn(tcnStart);
            WindowScored?.Invoke(start, count, visual, audio, _window);
            var networkStart = Stopwatch.GetTimestamp();
            network.RunWindow(_window, count, _valence, _arousal, _reliability);
            Timings.AddWindow(networkStart);
        }
        else
        {
            var networkStart = Stopwatch.GetTimestamp();
            network.RunWhole(visual, audio, count, _valence, _arousal, _reliability);
            Timings.AddWindow(networkStart);
        }
        Interlocked.Increment(ref _windows);
        var emitStart = Stopwatch.GetTimestamp();
        for (var t = _emitted + 1; t <= ready; t++)
        {
            var slot = _ring.Find(t)!;
            var i = t - start;
            var result = new SageLiveResult(t, slot.Time, _valence[i], _arousal[i], _reliability[i],
                slot.HasFace, slot.Dropped, Stopwatch.GetElapsedTime(slot.Arrived));
            if (!slot.Dropped)
            {
                Interlocked.Increment(ref _framesScored);
            }
            while (!_results.Writer.TryWrite(result))
            {
                _results.Writer.WaitToWriteAsync(token).AsTask().GetAwaiter().GetResult();
            }
        }
        _emitted = ready;
        Timings.AddEmit(emitStart);
    }

    /// <summary>
    /// Brings every frame's TCN output in the window [<paramref name="start"/>, newest] up to date, computing only what
    /// changed: the new frames, the last <c>R</c> frames of the previous run (computed then with zeros past its newest frame,
    /// as a clip's end is), and the frames within <c>R</c> of any frame whose features changed since the TCN read them (a
    /// crop that arrived late, audio that was not final, a face standing in for a faceless frame that changed). The TCN runs
    /// once on that stretch with <c>R</c> frames of context before it.
    /// </summary>
    /// <param name="start">The window's first frame.</param>
    /// <param name="visual">The window's visual features, [n, Dv], as the window part will see them.</param>
    /// <param name="audio">The window's audio features, [n, Da].</param>
    private void UpdateTcn(int start, float[] visual, float[] audio)
    {
        var network = _model.Network;
        var radius = network.Radius;
        var firstChanged = _newest + 1;
        for (var t = start; t <= _newest; t++)
        {
            var slot = _ring.Find(t)!;
            if (!slot.TcnInputsTaken || slot.TcnFaceSource != _faceSources[t - start] || !slot.TcnAudioFinal)
            {
                firstChanged = t;
                break;
            }
        }
        var from = Math.Max(start, Math.Min(firstChanged - radius, _tcnCompleteThrough + 1));
        var first = Math.Max(start, from - radius);
        var frames = _newest - first + 1;
        int dv = _model.Faces.FeatureSize, da = _audio.FeatureSize, d = network.FusedSize;
        visual.AsSpan((first - start) * dv, frames * dv).CopyTo(_tcnVisual);
        audio.AsSpan((first - start) * da, frames * da).CopyTo(_tcnAudio);
        network.RunTcn(_tcnVisual, _tcnAudio, frames, _tcnOutput);
        for (var t = first; t <= _newest; t++)
        {
            var slot = _ring.Find(t)!;
            if (t >= from)
            {
                _tcnOutput.AsSpan((t - first) * d, d).CopyTo(slot.Tcn);
            }
            slot.TcnInputsTaken = true;
            slot.TcnFaceSource = _faceSources[t - start];
            slot.TcnAudioFinal = slot.AudioFinal;
        }
        _tcnCompleteThrough = _newest - radius;
    }

    private void Recycle(VideoFrame image)
    {
        if (_spareImages.Count < _queueCapacity + 2)
        {
            _spareImages.Push(image);
        }
    }

    /// <summary>One pushed frame; <see cref="Image"/> becomes null when it is dropped.</summary>
    private sealed record Pushed(int Frame, double Time, long Arrived)
    {
        public VideoFrame? Image { get; set; }
    }
}

using System.Diagnostics;

namespace Sage.MLNet.Live;

/// <summary>Where a live predictor's thread spent its time, stage by stage (wall time on that thread; ONNX Runtime may use more threads inside a stage).</summary>
internal sealed class LiveTimings
{
    private long _faceEncode;
    private long _audio;
    private long _assemble;
    private long _tcn;
    private long _window;
    private long _emit;

    /// <summary>ResNet (or other face encoder) runs: JPEG decode of the crop, normalisation and the encoder.</summary>
    public TimeSpan FaceEncode => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _faceEncode));

    public TimeSpan Audio => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _audio));

    public TimeSpan Assemble => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _assemble));

    /// <summary>The per-frame part of the network: each modality's TCN.</summary>
    public TimeSpan Tcn => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _tcn));

    /// <summary>The part of the network that depends on the window: fusion, Transformer and head (the whole network when it is one graph).</summary>
    public TimeSpan Window => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _window));

    public TimeSpan Emit => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _emit));

    public void AddFaceEncode(long start) => Interlocked.Add(ref _faceEncode, Stopwatch.GetTimestamp() - start);

    public void AddAudio(long start) => Interlocked.Add(ref _audio, Stopwatch.GetTimestamp() - start);

    public void AddAssemble(long start) => Interlocked.Add(ref _assemble, Stopwatch.GetTimestamp() - start);

    public void AddTcn(long start) => Interlocked.Add(ref _tcn, Stopwatch.GetTimestamp() - start);

    public void AddWindow(long start) => Interlocked.Add(ref _window, Stopwatch.GetTimestamp() - start);

    public void AddEmit(long start) => Interlocked.Add(ref _emit, Stopwatch.GetTimestamp() - start);
}

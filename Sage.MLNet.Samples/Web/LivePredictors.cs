using Microsoft.Extensions.Logging;
using Microsoft.ML;
using Sage.MLNet.Samples.Live;

namespace Sage.MLNet.Samples.Web;

/// <summary>
/// Keeps one live predictor open and warm for the next <c>/live</c> stream, and opens the next one in the background when a
/// stream ends, so a stream's frames are scored from its first second.
/// </summary>
/// <remarks>
/// Opening a predictor (reading the model, making its ONNX Runtime sessions and running each once) takes a second or two on
/// 2 cores. Opened when a stream's first bytes arrive, as before, the frames the client sent meanwhile came in one burst and
/// a second's worth of them were dropped. The next one is opened when a stream ends rather than when it starts: opening
/// takes both cores for a moment, which a starting stream needs. The frame rate is left to the predictor, which takes it from the first two frames'
/// times (a browser's WebM gives none that can be trusted anyway).
/// </remarks>
internal sealed class LivePredictors(string modelPath, LiveSettings settings, ILogger logger) : IDisposable
{
    private readonly Lock _lock = new();
    private int _warned;
    private Task<SageLivePredictor>? _next;
    private bool _disposed;

    /// <summary>Gets whether a predictor is open and warm, waiting for the next stream.</summary>
    public bool Ready
    {
        get
        {
            lock (_lock)
            {
                return _next is { IsCompletedSuccessfully: true };
            }
        }
    }

    /// <summary>Starts opening the next predictor in the background, unless one is open or opening.</summary>
    public void Prepare()
    {
        lock (_lock)
        {
            if (!_disposed && _next is null)
            {
                _next = Task.Run(Open);
            }
        }
    }

    /// <summary>Returns the warm predictor (waiting for it if it is still opening, opening one if none is); call <see cref="Prepare"/> when the stream ends.</summary>
    /// <exception cref="Exception">The model cannot be opened live; the message says why.</exception>
    public async Task<SageLivePredictor> TakeAsync()
    {
        Task<SageLivePredictor> next;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            next = _next ?? Task.Run(Open);
            _next = null;
        }
        return await next.ConfigureAwait(false);
    }

    /// <summary>Disposes the predictor kept warm (one still opening is disposed when it opens).</summary>
    public void Dispose()
    {
        Task<SageLivePredictor>? next;
        lock (_lock)
        {
            _disposed = true;
            next = _next;
            _next = null;
        }
        if (next is null)
        {
            return;
        }
        try
        {
            next.Wait();
        }
        catch (AggregateException)
        {
            return;     // it failed to open: nothing to release
        }
        next.Result.Dispose();
    }

    private SageLivePredictor Open()
    {
        var predictor = SageModel.OpenLive(new MLContext(seed: 1), modelPath, new SageLiveOptions { LookaheadFrames = settings.LookaheadFrames, QueueCapacity = settings.QueueFrames });
        if (!predictor.PerFrameTcn && Interlocked.Exchange(ref _warned, 1) == 0)
        {
            logger.LogWarning("{Note}", LiveNotes.WholeNetwork(Path.GetFileName(modelPath)));
        }
        return predictor;
    }
}

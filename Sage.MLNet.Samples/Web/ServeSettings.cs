namespace Sage.MLNet.Samples.Web;

/// <summary>How <c>serve</c> runs: where it listens and the limits that keep one busy client from sinking it.</summary>
/// <param name="Urls">The addresses to listen on, separated by ';' (port 0 picks a free port).</param>
/// <param name="MaxUploadBytes">The largest video accepted, in bytes; larger uploads get 413.</param>
/// <param name="MaxJobs">Videos predicted at the same time.</param>
/// <param name="QueueLength">Requests that may wait for a job slot; beyond them the server answers 503 with Retry-After.</param>
/// <param name="Timeout">How long one request may take from its arrival to its answer (queue, upload and prediction); then 504.</param>
/// <param name="TempFolder">Where uploads are kept while they are predicted, one subfolder per request, deleted when it ends.</param>
/// <param name="Live">The limits of <c>GET /live</c>, the WebSocket that scores a stream as it comes.</param>
internal sealed record ServeSettings(string Urls, long MaxUploadBytes, int MaxJobs, int QueueLength, TimeSpan Timeout, string TempFolder, LiveSettings Live);

/// <summary>The limits of <c>GET /live</c>.</summary>
/// <param name="Sessions">Streams scored at the same time; one more is closed at once with 1013 (try again later).</param>
/// <param name="MaxMessageBytes">The largest WebSocket message accepted, in bytes; a larger one closes the stream with 1009.</param>
/// <param name="StallTimeout">How long the stream may go without a message, or ffmpeg without a decoded frame, before it is closed with 1008.</param>
/// <param name="LookaheadFrames">The live predictor's lookahead, in frames (<see cref="SageLiveOptions.LookaheadFrames"/>).</param>
/// <param name="QueueFrames">Frames that may wait for the live predictor before the oldest is dropped (<see cref="SageLiveOptions.QueueCapacity"/>).</param>
internal sealed record LiveSettings(int Sessions, int MaxMessageBytes, TimeSpan StallTimeout, int LookaheadFrames, int QueueFrames);

namespace Sage.MLNet.Samples.Web;

/// <summary>How <c>serve</c> runs: where it listens and the limits that keep one busy client from sinking it.</summary>
/// <param name="Urls">The addresses to listen on, separated by ';' (port 0 picks a free port).</param>
/// <param name="MaxUploadBytes">The largest video accepted, in bytes; larger uploads get 413.</param>
/// <param name="MaxJobs">Videos predicted at the same time.</param>
/// <param name="QueueLength">Requests that may wait for a job slot; beyond them the server answers 503 with Retry-After.</param>
/// <param name="Timeout">How long one request may take from its arrival to its answer (queue, upload and prediction); then 504.</param>
/// <param name="TempFolder">Where uploads are kept while they are predicted, one subfolder per request, deleted when it ends.</param>
internal sealed record ServeSettings(string Urls, long MaxUploadBytes, int MaxJobs, int QueueLength, TimeSpan Timeout, string TempFolder);

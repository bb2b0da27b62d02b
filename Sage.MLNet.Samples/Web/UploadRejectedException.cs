namespace Sage.MLNet.Samples.Web;

/// <summary>A request the server refuses because of what the client sent, answered with <paramref name="status"/> and a one-line reason.</summary>
/// <param name="status">The HTTP status code to answer with (400, 413, 415).</param>
/// <param name="reason">One line saying what was wrong, for the client.</param>
internal sealed class UploadRejectedException(int status, string reason) : Exception(reason)
{
    /// <summary>Gets the HTTP status code to answer with.</summary>
    public int Status { get; } = status;
}

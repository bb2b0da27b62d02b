using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sage.MLNet.Samples.Web;

/// <summary>
/// <c>GET /live</c>, a WebSocket: the client sends a stream as binary messages (WebM chunks from a browser's MediaRecorder, or
/// any container ffmpeg reads from a pipe) and gets one JSON text message per scored frame; see <see cref="LiveSession"/>.
/// At most <see cref="LiveSettings.Sessions"/> streams are scored at once: one more is accepted and closed at once with
/// 1013 (try again later) and a one-line reason, because a browser cannot read the status of a refused handshake.
/// </summary>
internal sealed class LiveEndpoint(LivePredictors predictors, JobGate sessions, LiveSettings settings, ILogger logger, CancellationToken stopping)
{
    /// <summary>The close status for "too many streams now": 1013, Try Again Later (not in <see cref="WebSocketCloseStatus"/>).</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>Answers one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("GET /live is a WebSocket: connect with ws://, send the stream as binary messages and read one JSON message per frame (see /live.html)\n")
                .ConfigureAwait(false);
            return;
        }
        if (!SameOrigin(context.Request))
        {
            // Another site's page must not stream a visitor's camera here: browsers send Origin, other clients need not.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync($"a page from '{context.Request.Headers.Origin}' may not use this server's /live\n").ConfigureAwait(false);
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var ticket = sessions.TryEnter();
        if (ticket is null)
        {
            await LiveSession.CloseAsync(socket, TryAgainLater,
                $"busy: this server scores at most {sessions.Jobs} live stream{(sessions.Jobs == 1 ? "" : "s")} at once; try again later", pending: null).ConfigureAwait(false);
            return;
        }
        await ticket.WaitForSlotAsync(CancellationToken.None).ConfigureAwait(false);     // free at once: the gate has no queue
        var session = new LiveSession(socket, predictors, settings, logger);
        await session.RunAsync(context.RequestAborted, stopping).ConfigureAwait(false);
    }

    private static bool SameOrigin(HttpRequest request) =>
        request.Headers.Origin is not { Count: > 0 } origin
        || (Uri.TryCreate(origin.ToString(), UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
}

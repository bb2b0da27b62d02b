using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Web;

/// <summary>
/// The web API around a loaded model, as Model Builder scaffolds one for an ML.NET model: a minimal API with
/// <c>POST /predict</c> (multipart field <c>video</c>) and <c>GET /health</c>; <c>GET /live</c>, a WebSocket that scores a
/// stream as it comes, and <c>GET /live.html</c>, a page that streams the camera into it and plots the results.
/// </summary>
internal static class PredictionServer
{
    /// <summary>Returns the application, built but not started, serving <paramref name="predictor"/> under <paramref name="settings"/>.</summary>
    public static WebApplication Build(VideoPredictor predictor, string modelPath, ServeSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.MaxUploadBytes + UploadReader.MultipartOverhead);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(new JobGate(settings.MaxJobs, settings.QueueLength));

        var app = builder.Build();
        var gate = app.Services.GetRequiredService<JobGate>();
        var endpoint = new PredictionEndpoint(predictor, gate, settings, app.Logger);
        // Live streams have a gate of their own: a stream holds its slot for as long as it lasts, and none waits.
        var streams = new JobGate(settings.Live.Sessions, queue: 0);
        app.Lifetime.ApplicationStopped.Register(streams.Dispose);
        var predictors = new LivePredictors(modelPath, settings.Live, app.Logger);
        app.Lifetime.ApplicationStarted.Register(predictors.Prepare);
        app.Lifetime.ApplicationStopped.Register(predictors.Dispose);
        var live = new LiveEndpoint(predictors, streams, settings.Live, app.Logger, app.Lifetime.ApplicationStopping);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.MapPost("/predict", endpoint.HandleAsync);
        app.MapGet("/live", live.HandleAsync);
        app.MapGet("/live.html", () => Results.Text(LivePage(), "text/html; charset=utf-8"));
        app.MapGet("/", () => Results.Redirect("/live.html"));
        app.MapGet("/health", () => Results.Json(new HealthResponse("ok", Path.GetFileName(modelPath), gate.Running, gate.Waiting, settings.MaxJobs, settings.QueueLength,
            streams.Running, settings.Live.Sessions, predictors.Ready, settings.Live.LookaheadFrames)));
        return app;
    }

    /// <summary>Returns the page at <c>/live.html</c> (Web/live.html, embedded in the program).</summary>
    private static string LivePage()
    {
        using var stream = typeof(PredictionServer).Assembly.GetManifestResourceStream("Sage.MLNet.Samples.Web.live.html")
            ?? throw new InvalidOperationException("the program was built without Web/live.html");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Returns the addresses the started <paramref name="app"/> listens on, with the real port where 0 was asked for.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];

    /// <summary>The JSON body of <c>GET /health</c>.</summary>
    /// <param name="Status">"ok" while the server answers.</param>
    /// <param name="Model">The model file's name.</param>
    /// <param name="Running">Videos being predicted now.</param>
    /// <param name="Waiting">Requests admitted and not yet predicting.</param>
    /// <param name="Jobs">The most videos predicted at once.</param>
    /// <param name="Queue">The most requests that may wait.</param>
    /// <param name="LiveStreams">Streams being scored on <c>/live</c> now.</param>
    /// <param name="LiveSessions">The most streams scored at once.</param>
    /// <param name="LiveReady">Whether a live predictor is open and warm for the next stream.</param>
    /// <param name="LiveLookahead">The lookahead <c>/live</c> scores with, in frames.</param>
    private sealed record HealthResponse(string Status, string Model, int Running, int Waiting, int Jobs, int Queue, int LiveStreams, int LiveSessions, bool LiveReady,
        int LiveLookahead);
}

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
/// <c>POST /predict</c> (multipart field <c>video</c>) and <c>GET /health</c>.
/// </summary>
internal static class PredictionServer
{
    /// <summary>Returns the application, built but not started, serving <paramref name="predictor"/> under <paramref name="settings"/>.</summary>
    public static WebApplication Build(VideoPredictor predictor, string modelName, ServeSettings settings)
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
        app.MapPost("/predict", endpoint.HandleAsync);
        app.MapGet("/health", () => Results.Json(new HealthResponse("ok", modelName, gate.Running, gate.Waiting, settings.MaxJobs, settings.QueueLength)));
        return app;
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
    private sealed record HealthResponse(string Status, string Model, int Running, int Waiting, int Jobs, int Queue);
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Web;

/// <summary>
/// <c>POST /predict</c>: admits the request (or answers 503 with Retry-After), saves the upload in a temporary folder, checks
/// it is a video, waits for a job slot, predicts, and answers JSON or CSV. Whatever happens, the folder is deleted once the
/// prediction no longer needs it; a client's mistake is a 4xx with a one-line reason, never a 500.
/// </summary>
internal sealed class PredictionEndpoint(VideoPredictor predictor, JobGate gate, ServeSettings settings, ILogger logger)
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>Answers one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var ticket = gate.TryEnter();
        if (ticket is null)
        {
            var retry = gate.RetryAfterSeconds();
            context.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteReasonAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"busy: {gate.Running} videos are being predicted and {gate.Waiting} wait; retry in {retry} s").ConfigureAwait(false);
            return;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(settings.Timeout);
        var folder = UploadFolder.Create(settings.TempFolder);
        Upload? upload = null;
        var handedOver = false;
        try
        {
            upload = await UploadReader.SaveAsync(context.Request, folder.Path, settings.MaxUploadBytes, deadline.Token).ConfigureAwait(false);
            await VideoFacts.ReadAsync(upload.Path, upload.Name, deadline.Token).ConfigureAwait(false);
            await ticket.WaitForSlotAsync(deadline.Token).ConfigureAwait(false);

            // The prediction cannot be stopped halfway, so on a timeout it finishes in the background and only then gives back
            // its slot and its folder: the server never runs more jobs than it admits, and never deletes a file in use.
            var saved = upload;
            var work = Task.Run(() => predictor.Predict(saved.Path, Path.GetFileNameWithoutExtension(saved.Name), faceFolder: null, keepFoundCrops: false));
            handedOver = true;
            _ = work.ContinueWith(finished =>
            {
                _ = finished.Exception;     // observed here when nobody awaits it any more
                ticket.Dispose();
                folder.Dispose();
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            var prediction = await work.WaitAsync(deadline.Token).ConfigureAwait(false);

            await WritePredictionAsync(context, prediction).ConfigureAwait(false);
            logger.LogInformation("{Name}: {Frames} frames ({Seconds:0.##} s of video), a face in {Faces}, answered in {Elapsed:0.00} s",
                upload.Name, prediction.Frames.Count, prediction.Seconds, prediction.FaceFrames, clock.Elapsed.TotalSeconds);
        }
        catch (Exception) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // Whatever the step that was cut short says (ffprobe's cancellation is an error of its own), the cause is the limit.
            await WriteReasonAsync(context, StatusCodes.Status504GatewayTimeout,
                $"the request took longer than this server's limit of {settings.Timeout.TotalSeconds:0.#} s").ConfigureAwait(false);
        }
        catch (UploadRejectedException e)
        {
            await WriteReasonAsync(context, e.Status, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UserInputException && !context.RequestAborted.IsCancellationRequested)
        {
            // The library names the file it could not read; the client knows it by its own name, not by our temporary path.
            var reason = upload is null ? e.Message : e.Message.Replace(upload.Path, upload.Name, StringComparison.Ordinal)
                .Replace(folder.Path, "", StringComparison.Ordinal);
            await WriteReasonAsync(context, StatusCodes.Status400BadRequest, reason).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        finally
        {
            if (!handedOver)
            {
                ticket.Dispose();
                folder.Dispose();
            }
        }
    }

    private static Task WritePredictionAsync(HttpContext context, VideoPrediction prediction)
    {
        if (context.Request.GetTypedHeaders().Accept.Any(type => type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            return context.Response.WriteAsync(FrameCsv.Text(prediction.Frames));
        }
        return context.Response.WriteAsJsonAsync(new PredictionResponse(prediction.Frames, prediction.FaceFrames, prediction.Seconds, prediction.HasAudio), s_json);
    }

    private static Task WriteReasonAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        // One line: a library message may quote a tool's output over several.
        return context.Response.WriteAsync(string.Join(' ', reason.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) + "\n");
    }
}

using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Sage.MLNet.Samples.Terminal;
using Sage.MLNet.Samples.Web;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Commands;

/// <summary>
/// <c>serve --model FILE [--urls URL]</c>: a web API that predicts any uploaded video: <c>POST /predict</c> with the video in
/// the multipart field <c>video</c> answers per-frame valence, arousal and reliability as JSON (or CSV); <c>GET /health</c>;
/// <c>GET /live</c>, a WebSocket that scores a stream as it comes, with the page <c>/live.html</c> that streams the camera into it.
/// </summary>
internal static class ServeCommand
{
    /// <summary>Returns the <c>serve</c> command with its options and action.</summary>
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (port 0 picks a free one).",
            DefaultValueFactory = _ => "http://127.0.0.1:5000",
        };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "Largest video accepted, in MB; larger gets 413.", DefaultValueFactory = _ => 200 };
        var jobs = new Option<int>("--jobs") { Description = "Videos predicted at the same time.", DefaultValueFactory = _ => 1 };
        var queue = new Option<int>("--queue")
        {
            Description = "Requests that may wait for a job; beyond them the answer is 503 with Retry-After.",
            DefaultValueFactory = _ => 8,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Longest time one request may take (waiting, upload, prediction), in seconds; then 504.",
            DefaultValueFactory = _ => 300,
        };
        var temp = new Option<DirectoryInfo>("--temp")
        {
            Description = "Folder for uploads while they are predicted (one subfolder per request, always deleted). Default: a new folder in the system's temp folder.",
        };
        var missingAudio = CommonOptions.MissingAudio();
        var liveSessions = new Option<int>("--live-sessions")
        {
            Description = "Streams scored at the same time on /live; one more is closed at once with 1013 (try again later).",
            DefaultValueFactory = _ => 2,
        };
        var liveMessage = new Option<int>("--live-max-message-kb") { Description = "Largest WebSocket message accepted on /live, in KB; larger closes the stream with 1009.", DefaultValueFactory = _ => 1024 };
        var liveStall = new Option<double>("--live-stall-timeout")
        {
            Description = "Seconds a /live stream may go without a message, or without a decoded frame, before it is closed with 1008.",
            DefaultValueFactory = _ => 10,
        };
        var lookahead = new Option<int>("--lookahead")
        {
            Description = $"Frames after a frame that must arrive before its /live result is sent (more: closer to the offline result, later). Default: {SageLiveOptions.DefaultLookaheadFrames}.",
            DefaultValueFactory = _ => SageLiveOptions.DefaultLookaheadFrames,
        };
        var liveQueue = new Option<int>("--live-queue")
        {
            // A browser's piece (about 0.1 s, 3-4 frames) is decoded at once, and a stream that was held up in the network
            // arrives in a burst: more room than the library's default of 8 for a source that gives frames one by one.
            Description = "Frames of a /live stream that may wait for scoring before the oldest is dropped (a browser's piece of recording comes in at once).",
            DefaultValueFactory = _ => 16,
        };
        var command = new Command("serve", "Serve a model as a web API: POST /predict (multipart field 'video') answers per-frame valence and arousal; /live.html scores a camera live.")
        {
            model, urls, maxUpload, jobs, queue, timeout, temp, liveSessions, liveMessage, liveStall, lookahead, liveQueue, missingAudio,
        };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var live = Live(parse.GetValue(liveSessions), parse.GetValue(liveMessage), parse.GetValue(liveStall), parse.GetValue(lookahead), parse.GetValue(liveQueue));
            var settings = Settings(parse.GetValue(urls)!, parse.GetValue(maxUpload), parse.GetValue(jobs), parse.GetValue(queue),
                parse.GetValue(timeout), parse.GetValue(temp), live);
            return Run(parse.GetValue(model)!, settings, parse.GetValue(missingAudio));
        }));
        return command;
    }

    private static ServeSettings Settings(string urls, int maxUploadMb, int jobs, int queue, double timeoutSeconds, DirectoryInfo? temp, LiveSettings live)
    {
        if (maxUploadMb < 1 || jobs < 1 || queue < 0 || !(timeoutSeconds > 0))
        {
            throw new UserInputException(
                $"--max-upload-mb ({maxUploadMb}) and --jobs ({jobs}) must be at least 1, --queue ({queue}) at least 0, --timeout ({timeoutSeconds}) above 0");
        }
        var folder = temp?.FullName ?? Path.Combine(Path.GetTempPath(), $"sage-serve-{Environment.ProcessId}");
        return new ServeSettings(urls, maxUploadMb * 1024L * 1024, jobs, queue, TimeSpan.FromSeconds(timeoutSeconds), folder, live);
    }

    private static LiveSettings Live(int sessions, int maxMessageKb, double stallSeconds, int lookahead, int queue)
    {
        if (sessions < 1 || maxMessageKb < 1 || !(stallSeconds > 0) || lookahead < 0 || queue < 1)
        {
            throw new UserInputException($"--live-sessions ({sessions}), --live-max-message-kb ({maxMessageKb}) and --live-queue ({queue}) must be at least 1, " +
                $"--live-stall-timeout ({stallSeconds}) above 0, --lookahead ({lookahead}) at least 0");
        }
        return new LiveSettings(sessions, maxMessageKb * 1024, TimeSpan.FromSeconds(stallSeconds), lookahead, queue);
    }

    private static int Run(FileInfo modelFile, ServeSettings settings, SageMissingAudioPolicy? missingAudio)
    {
        using var predictor = new VideoPredictor(modelFile.FullName, missingAudio);
        if (!predictor.FindsFaces)
        {
            throw new UserInputException(
                $"the model '{modelFile.Name}' was saved without face extraction, so it cannot read an uploaded video; save it with SageModel.Save(..., extraction) (train and demo do)");
        }
        var ownsTemp = !Directory.Exists(settings.TempFolder);
        Directory.CreateDirectory(settings.TempFolder);
        try
        {
            using var app = PredictionServer.Build(predictor, modelFile.FullName, settings);
            app.StartAsync().GetAwaiter().GetResult();
            foreach (var address in PredictionServer.Addresses(app))
            {
                Console.WriteLine($"Serving '{modelFile.Name}' on {address}: POST {address}/predict (multipart field 'video'), GET {address}/health, " +
                    $"live from a camera: {address}/live.html (WebSocket {address.Replace("http", "ws", StringComparison.Ordinal)}/live)");
            }
            Console.WriteLine($"Jobs: {settings.MaxJobs} at once, {settings.QueueLength} waiting; {settings.MaxUploadBytes / (1024 * 1024)} MB each, " +
                $"{settings.Timeout.TotalSeconds:0.#} s per request; uploads in {settings.TempFolder}; {settings.Live.Sessions} live stream(s) at once. Ctrl+C stops.");
            app.WaitForShutdownAsync().GetAwaiter().GetResult();
        }
        finally
        {
            if (ownsTemp && Directory.Exists(settings.TempFolder))
            {
                Directory.Delete(settings.TempFolder, recursive: true);
            }
        }
        return 0;
    }
}

using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Sage.MLNet.Evaluation;
using Sage.MLNet.Samples.Live;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>benchmark live-agreement</c> command: scores one recorded video offline (<see cref="SageModel.LoadWithFeaturizers"/>)
/// and live at several lookaheads, the frames pushed as fast as they decode but every result given with exactly the
/// lookahead it would have in real time, and prints the CCC of live against offline for each.
/// </summary>
internal static class LiveAgreementBenchmark
{
    /// <summary>Returns the <c>live-agreement</c> subcommand of <c>benchmark</c>.</summary>
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "A model saved with its featurizers (face extraction included).", Required = true };
        var video = new Option<FileInfo>("--video") { Description = "A recorded video with a face and sound.", Required = true };
        var lookaheads = new Option<string>("--lookaheads") { Description = "Lookaheads to measure, in frames, comma-separated.", DefaultValueFactory = _ => "0,4,8,12,16,24" };
        var detectEvery = new Option<int>("--detect-every") { Description = "Live face detection every this many frames (offline detects on every frame).", DefaultValueFactory = _ => new SageLiveOptions().DetectEveryFrames };
        var command = new Command("live-agreement", "CCC of live results against the offline Transform of the same video, for each lookahead.")
        {
            model, video, lookaheads, detectEvery,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(video)!,
            [.. parse.GetValue(lookaheads)!.Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture))], parse.GetValue(detectEvery)));
        return command;
    }

    private static int Run(FileInfo model, FileInfo video, int[] lookaheads, int detectEvery)
    {
        var ml = new MLContext(seed: 1);
        float[] valence, arousal;
        using (var offline = SageModel.LoadWithFeaturizers(ml, model.FullName, out _))
        {
            var row = ml.Data.CreateEnumerable<Scored>(
                offline.Transform(ml.Data.LoadFromEnumerable([new VideoOnly { VideoFile = video.FullName }])), reuseRowObject: false).Single();
            (valence, arousal) = (row.PredictedValence, row.PredictedArousal);
        }
        Console.WriteLine($"{model.Name} on {video.Name}: {valence.Length} frames offline; live detects faces every {detectEvery} frames.");
        foreach (var lookahead in lookaheads)
        {
            using var live = SageModel.OpenLive(ml, model.FullName, new SageLiveOptions { LookaheadFrames = lookahead, QueueCapacity = 100_000, CatchUp = false, DetectEveryFrames = detectEvery });
            var reading = Task.Run(async () =>
            {
                var results = new List<SageLiveResult>();
                await foreach (var r in live.ReadResultsAsync())
                {
                    results.Add(r);
                }
                return results;
            });
            using (var source = FFMpegLiveSource.Open(video.FullName, realTime: false, TimeSpan.FromSeconds(30)))
            {
                while (source.Next())
                {
                    live.Push(source.Time, source.Rgba, source.Width, source.Height, source.TakeAudio());
                }
            }
            live.Complete();
            var scored = reading.GetAwaiter().GetResult();
            var v = new Concordance();
            var a = new Concordance();
            foreach (var r in scored.Where(r => r.Frame < valence.Length))
            {
                v.Add(r.Valence, valence[r.Frame]);
                a.Add(r.Arousal, arousal[r.Frame]);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Lookahead {lookahead} frames: CCC live vs offline valence {v.Value:0.000}, arousal {a.Value:0.000} ({scored.Count} live frames, per-frame TCN {live.PerFrameTcn})."));
        }
        return 0;
    }

    private sealed class VideoOnly
    {
        public string VideoFile { get; set; } = "";
    }

    private sealed class Scored
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] PredictedArousal { get; set; } = [];
    }
}

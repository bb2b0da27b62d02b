using Microsoft.ML;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>The fitted face and audio featurizers of one run, which fill the feature cache and add features to video rows.</summary>
internal sealed class VideoFeaturizers : IDisposable
{
    private readonly MLContext _ml;

    private VideoFeaturizers(MLContext ml, SageFaceFeaturizerTransformer faces, SageAudioFeaturizerTransformer audio)
    {
        _ml = ml;
        Faces = faces;
        Audio = audio;
    }

    /// <summary>Gets the face featurizer, to save with the model.</summary>
    public SageFaceFeaturizerTransformer Faces { get; }

    /// <summary>Gets the audio featurizer, to save with the model.</summary>
    public SageAudioFeaturizerTransformer Audio { get; }

    /// <summary>Returns featurizers for videos shaped like <paramref name="videos"/>, caching features in <paramref name="cacheFolder"/>.</summary>
    public static VideoFeaturizers Fit(MLContext ml, IDataView videos, FeaturizerSettings settings, string cacheFolder)
    {
        var faces = ml.Transforms.FeaturizeFaces(settings.FaceOptions(cacheFolder)).Fit(videos);
        try
        {
            return new VideoFeaturizers(ml, faces, ml.Transforms.FeaturizeAudio(settings.AudioOptions(cacheFolder)).Fit(videos));
        }
        catch
        {
            faces.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Returns <paramref name="videos"/> with visual and audio features, computing into the cache what it lacks (with
    /// progress) and leaving out, with a warning, videos that cannot be featurised.
    /// </summary>
    public IDataView Featurize(IDataView videos, string splitName)
    {
        var count = _ml.Data.CreateEnumerable<RawVideo>(videos, reuseRowObject: true).Count();
        var failed = Fill(videos, splitName, WholeCopy, count);
        if (failed.Count == count)
        {
            throw new UserInputException($"no video of the {splitName} split could be featurised");
        }
        var usable = failed.Count == 0 ? videos : _ml.Data.FilterByCustomPredicate<RawVideo>(videos, video => failed.Contains(video.VideoId));
        return Audio.Transform(Faces.Transform(usable));
    }

    /// <summary>The shard that is the whole copy.</summary>
    public static SageJobShard WholeCopy { get; } = new() { Index = 0, Count = 1, Origin = "no --shard and no job-array variables" };

    /// <summary>
    /// Fills the cache with the faces and audio of <paramref name="shard"/>'s <paramref name="videos"/> (with progress and a
    /// line of counts each) and returns the ids of those that could not be featurised, after a warning for each.
    /// </summary>
    /// <param name="videos">The split's video rows.</param>
    /// <param name="splitName">The split's name for the progress title.</param>
    /// <param name="shard">Which of the videos to fill.</param>
    /// <param name="shardVideos">How many videos the shard holds, for the progress bar.</param>
    public HashSet<string> Fill(IDataView videos, string splitName, SageJobShard shard, int shardVideos)
    {
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, featurizer) in new (string, ITransformer)[] { ("faces", Faces), ("audio", Audio) })
        {
            var report = ProgressDisplay.Run($"Featurising {splitName} {name}", shardVideos, step =>
                SageFeatureCache.Fill(videos, featurizer, new()
                {
                    ShardIndex = shard.Index,
                    ShardCount = shard.Count,
                    Progress = new CacheProgress(step),
                    SkipBadVideos = true,
                }));
            Console.WriteLine($"  {name}: {report.Hits} cached, {report.Computed} computed, {report.Failed} failed, {report.Frames:N0} frames in {report.Seconds:F1} s");
            foreach (var failure in report.Failures)
            {
                Console.WriteLine($"  warning: left out {failure.Video}: {failure.Message}");
                failed.Add(failure.Video);
            }
        }
        return failed;
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose()
    {
        Faces.Dispose();
        Audio.Dispose();
    }

    private sealed class CacheProgress(ProgressStep step) : IProgress<SageFeatureCacheProgress>
    {
        public void Report(SageFeatureCacheProgress value) =>
            step.Advance(value.VideosDone, value.Video
                + (value.Failed > 0 ? $" ({value.Failed} failed so far)" : "")
                + (value.Waiting > 0 ? $" ({value.Waiting} being featurised by another process)" : ""));
    }
}

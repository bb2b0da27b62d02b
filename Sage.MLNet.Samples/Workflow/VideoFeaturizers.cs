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
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, featurizer) in new (string, ITransformer)[] { ("faces", Faces), ("audio", Audio) })
        {
            var report = ProgressDisplay.Run($"Featurising {splitName} {name}", count, step =>
                SageFeatureCache.Fill(videos, featurizer, new() { Progress = new CacheProgress(step), SkipBadVideos = true }));
            Console.WriteLine($"  {name}: {report.Hits} cached, {report.Computed} computed, {report.Failed} failed, {report.Frames:N0} frames in {report.Seconds:F1} s");
            foreach (var failure in report.Failures)
            {
                Console.WriteLine($"  warning: left out {failure.Video}: {failure.Message}");
                failed.Add(failure.Video);
            }
        }
        if (failed.Count == count)
        {
            throw new UserInputException($"no video of the {splitName} split could be featurised");
        }
        var usable = failed.Count == 0 ? videos : _ml.Data.FilterByCustomPredicate<RawVideo>(videos, video => failed.Contains(video.VideoId));
        return Audio.Transform(Faces.Transform(usable));
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
            step.Advance(value.VideosDone, value.Failed > 0 ? $"{value.Video} ({value.Failed} failed so far)" : value.Video);
    }
}

using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Evaluation.Robustness;

namespace Sage.MLNet;

/// <summary>
/// Measures how each fusion variant holds up when one modality fails: trains the chosen variants on the same features with the
/// same seeds, then scores each on evaluation videos whose faces or sound were corrupted at the media level, through the featurizers.
/// </summary>
public static class SageRobustness
{
    /// <summary>The corruption name of the clean evaluation videos.</summary>
    public const string Clean = "none";

    /// <summary>The corruption name of a synthetic copy's own unreliable stages.</summary>
    public const string SyntheticStages = "synthetic-stages";

    /// <summary>Returns CCC (mean ± sd over seeds) and weight AUROC per variant, corruption and level, and one video's weights over time.</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="train">Featurised training rows (the columns <see cref="SageOptions"/> names).</param>
    /// <param name="validation">Featurised rows that pick each run's best epoch, or null to keep the last epoch.</param>
    /// <param name="evaluation">Raw, labelled video rows to corrupt and score (the columns of <see cref="AffWild2Catalog.LoadAffWild2"/>).</param>
    /// <param name="faces">The fitted face featurizer that made <paramref name="train"/>'s visual features.</param>
    /// <param name="audio">The fitted audio featurizer that made its audio features.</param>
    /// <param name="options">Variants, seeds, corruptions, levels, the training template and the work folder.</param>
    /// <remarks>
    /// <para>Every corrupted copy is made once (<see cref="SageMediaCorruption.Apply"/>) in its own subfolder of
    /// <see cref="SageRobustnessOptions.WorkFolder"/>, featurised once and held in memory, then scored by every trained model.
    /// Costs: variants × seeds trainings, and (corruptions × levels + 1) featurisations of the evaluation videos.</para>
    /// <para>AUROC reads low weight as "corrupted": 1 means every corrupted frame got less weight than every clean one, 0.5 is chance
    /// (and what a variant with a constant weight scores). A face corruption is scored against the visual weight, a sound corruption
    /// against the audio weight; variants without per-modality weights are scored with their frame weight.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    /// <exception cref="IOException">The work folder is not empty.</exception>
    public static SageRobustnessReport Run(MLContext ml, IDataView train, IDataView? validation, IDataView evaluation,
        SageFaceFeaturizerTransformer faces, SageAudioFeaturizerTransformer audio, SageRobustnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(options);
        RobustnessOptionsCheck.Validate(options);
        var work = Path.GetFullPath(options.WorkFolder);
        if (Directory.Exists(work) && Directory.EnumerateFileSystemEntries(work).Any())
        {
            throw new IOException($"The robustness work folder '{work}' is not empty; choose a new or empty folder");
        }
        Directory.CreateDirectory(work);

        var models = new List<(SageFusion Variant, int Seed, SageTransformer Model)>();
        try
        {
            var throughput = Train(ml, train, validation, options, models);
            var conditions = Conditions(ml, evaluation, options, work);
            var results = new List<SageRobustnessResult>();
            var traces = new List<SageRobustnessTrace>();
            foreach (var (name, level, corrupted) in conditions)
            {
                options.Progress?.Report($"Featurising the evaluation videos under {name} at {level.ToString("0.##", CultureInfo.InvariantCulture)}");
                var features = ml.Data.Cache(audio.Transform(faces.Transform(corrupted.Videos)));
                var traceVideo = options.TraceVideoId ?? FirstVideoId(features);
                foreach (var variant in options.Variants)
                {
                    var scores = models.Where(m => m.Variant == variant)
                        .Select(m => Score(ml, m.Model.Transform(features), corrupted, options.Training, traceVideo))
                        .ToList();
                    results.Add(new SageRobustnessResult(variant, name, level,
                        SageMeanAndDeviation.Of([.. scores.Select(s => s.Ccc.Valence)]),
                        SageMeanAndDeviation.Of([.. scores.Select(s => s.Ccc.Arousal)]),
                        SageMeanAndDeviation.Of([.. scores.Select(s => s.Ccc.Mean)]),
                        scores[0].Ccc.FrameCount,
                        Spread(scores.Select(s => s.VisualAuroc)),
                        Spread(scores.Select(s => s.AudioAuroc))));
                    if (scores[0].Trace is { } trace)
                    {
                        traces.Add(new SageRobustnessTrace(variant, name, level, traceVideo, trace.Reliability, trace.Visual, trace.Audio,
                            [.. corrupted.Stretches.Where(s => s.VideoId == traceVideo)]));
                    }
                }
            }
            return new SageRobustnessReport(results, traces, throughput);
        }
        finally
        {
            foreach (var (_, _, model) in models)
            {
                model.Dispose();
            }
        }
    }

    private static Dictionary<SageFusion, double> Train(MLContext ml, IDataView train, IDataView? validation, SageRobustnessOptions options,
        List<(SageFusion, int, SageTransformer)> models)
    {
        var cached = ml.Data.Cache(train);
        var throughput = new Dictionary<SageFusion, double>();
        var run = 0;
        foreach (var variant in options.Variants)
        {
            var rates = new List<double>();
            for (var seed = 1; seed <= options.Seeds; seed++)
            {
                options.Progress?.Report($"Training {variant}, seed {seed} ({++run}/{options.Variants.Count * options.Seeds})");
                var runOptions = options.Training.Copy();
                runOptions.Fusion = variant;
                runOptions.Seed = seed;
                runOptions.ValidationData = validation;
                var outer = options.Training.Progress;
                var epochs = new List<SageTrainingProgress>();
                runOptions.Progress = new Recorder(epochs, outer);
                models.Add((variant, seed, ml.Transforms.Sage(runOptions).Fit(cached)));
                // The first epoch warms up; the rest measure the steady rate.
                rates.AddRange(epochs.Skip(epochs.Count > 1 ? 1 : 0).Select(e => e.FramesPerSecond));
            }
            throughput[variant] = rates.Count == 0 ? 0 : rates.Average();
        }
        return throughput;
    }

    private static List<(string Name, double Level, SageCorruptedVideos Videos)> Conditions(MLContext ml, IDataView evaluation, SageRobustnessOptions options, string work)
    {
        var conditions = new List<(string, double, SageCorruptedVideos)>
        {
            (Clean, 0, SageMediaCorruption.Apply(ml, evaluation, new SageCorruption { Coverage = 0 }, Path.Combine(work, Clean))),
        };
        foreach (var kind in options.Corruptions)
        {
            foreach (var level in options.Levels)
            {
                var corruption = new SageCorruption { Kind = kind, Coverage = level, StretchFrames = options.StretchFrames, Seed = options.CorruptionSeed };
                options.Progress?.Report($"Corrupting the evaluation videos: {corruption.Name} over {level:P0} of each");
                var folder = Path.Combine(work, $"{corruption.Name}-{level.ToString("0.###", CultureInfo.InvariantCulture)}");
                conditions.Add((corruption.Name, level, SageMediaCorruption.Apply(ml, evaluation, corruption, folder)));
            }
        }
        if (options.SyntheticRoot is { } root)
        {
            var stages = SageMediaCorruption.SyntheticStages(ml, evaluation, root);
            var frames = ml.Data.CreateEnumerable<IdAndFrames>(evaluation, reuseRowObject: false).ToList();
            var covered = frames.Sum(video =>
            {
                var visual = stages.CorruptedFrames(video.VideoId, SageModality.Visual, video.FrameCount);
                var sound = stages.CorruptedFrames(video.VideoId, SageModality.Audio, video.FrameCount);
                return visual.Zip(sound).Count(pair => pair.First || pair.Second);
            });
            var total = Math.Max(1, frames.Sum(video => video.FrameCount));
            conditions.Add((SyntheticStages, Math.Round(covered / (double)total, 3), stages));
        }
        return conditions;
    }

    private static string FirstVideoId(IDataView features)
    {
        using var cursor = features.GetRowCursor([features.Schema["VideoId"]]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(features.Schema["VideoId"]);
        ReadOnlyMemory<char> id = default;
        if (!cursor.MoveNext())
        {
            throw new ArgumentOutOfRangeException(nameof(features), "the evaluation rows are empty");
        }
        getter(ref id);
        return id.ToString();
    }

    private static (CccMetrics Ccc, double? VisualAuroc, double? AudioAuroc, (float[] Reliability, float[]? Visual, float[]? Audio)? Trace) Score(
        MLContext ml, IDataView scored, SageCorruptedVideos corrupted, SageOptions names, string traceVideo)
    {
        var ccc = ml.Regression.EvaluateCcc(scored, names.ValenceColumnName, names.ArousalColumnName, names.PredictedValenceColumnName, names.PredictedArousalColumnName);
        var schema = scored.Schema;
        var visualColumn = schema.GetColumnOrNull(names.VisualReliabilityColumnName);
        var audioColumn = schema.GetColumnOrNull(names.AudioReliabilityColumnName);
        var columns = new List<DataViewSchema.Column> { schema["VideoId"], schema[names.ReliabilityColumnName] };
        columns.AddRange(new[] { visualColumn, audioColumn }.OfType<DataViewSchema.Column>());
        var visualWeights = new List<float>();
        var audioWeights = new List<float>();
        var visualCorrupted = new List<bool>();
        var audioCorrupted = new List<bool>();
        (float[], float[]?, float[]?)? trace = null;
        using (var cursor = scored.GetRowCursor(columns))
        {
            var id = cursor.GetGetter<ReadOnlyMemory<char>>(schema["VideoId"]);
            var reliability = cursor.GetGetter<VBuffer<float>>(schema[names.ReliabilityColumnName]);
            var visual = visualColumn is { } v ? cursor.GetGetter<VBuffer<float>>(v) : null;
            var sound = audioColumn is { } a ? cursor.GetGetter<VBuffer<float>>(a) : null;
            ReadOnlyMemory<char> videoId = default;
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                id(ref videoId);
                reliability(ref buffer);
                var frame = buffer.DenseValues().ToArray();
                var visualFrame = frame;
                var audioFrame = frame;
                if (visual is not null)
                {
                    visual(ref buffer);
                    visualFrame = buffer.DenseValues().ToArray();
                }
                if (sound is not null)
                {
                    sound(ref buffer);
                    audioFrame = buffer.DenseValues().ToArray();
                }
                var name = videoId.ToString();
                visualWeights.AddRange(visualFrame);
                audioWeights.AddRange(audioFrame);
                visualCorrupted.AddRange(corrupted.CorruptedFrames(name, SageModality.Visual, frame.Length));
                audioCorrupted.AddRange(corrupted.CorruptedFrames(name, SageModality.Audio, frame.Length));
                if (name == traceVideo)
                {
                    trace = (frame, visual is null ? null : visualFrame, sound is null ? null : audioFrame);
                }
            }
        }
        return (ccc, Auroc.OfLowWeight(visualWeights, visualCorrupted), Auroc.OfLowWeight(audioWeights, audioCorrupted), trace);
    }

    private static SageMeanAndDeviation? Spread(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : SageMeanAndDeviation.Of(present);
    }

    private sealed class Recorder(List<SageTrainingProgress> epochs, IProgress<SageTrainingProgress>? outer) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value)
        {
            epochs.Add(value);
            outer?.Report(value);
        }
    }

    private sealed class IdAndFrames
    {
        public string VideoId { get; set; } = "";

        public int FrameCount { get; set; }
    }
}

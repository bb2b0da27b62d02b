using System.Diagnostics;
using Microsoft.ML;
using Sage.MLNet.Samples.Plots;
using Sage.MLNet.Samples.Reports;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>
/// The main job on an Aff-Wild2 copy: featurise Train and Validation (through the cache), train one SAGE model that keeps
/// its best validation epoch (or K fold models combined into one predictor), save it with its featurizers and its weights,
/// then score a held-out split and plot it.
/// </summary>
internal static class TrainingRun
{
    /// <summary>Returns what the run scored and plotted; <paramref name="clock"/> times the whole command for metrics.json.</summary>
    public static TrainingOutcome Run(MLContext ml, TrainingRequest request, Stopwatch clock)
    {
        var (train, _) = AffWild2Data.Load(ml, request.DataRoot, AffWild2Split.Train);
        var (validation, validationCount) = AffWild2Data.Load(ml, request.DataRoot, AffWild2Split.Validation);
        using var featurizers = VideoFeaturizers.Fit(ml, train, request.Featurizers, request.CacheFolder);
        // Augmented Train features come from featurizers of their own (their own cache key); the plain ones are saved with the model.
        using var augmented = request.Training.AugmentFaces
            ? VideoFeaturizers.Fit(ml, train, request.Featurizers with { Augmentation = new SageFaceAugmentation { Seed = request.Training.Seed } }, request.CacheFolder)
            : null;
        var trainFeatures = (augmented ?? featurizers).Featurize(train, augmented is null ? "train" : "train (augmented faces)");
        var validationFeatures = featurizers.Featurize(validation, "validation");

        using var trained = request.Training.CrossValidates
            ? SageFoldTraining.Train(ml, trainFeatures, validationFeatures, featurizers, request.Training)
            : SageTraining.Train(ml, trainFeatures, validationFeatures, featurizers, request.Training);
        // Saved with the default face extraction as well, so the model also scores a video that nobody cropped (predict, serve).
        using (var extraction = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions()).Fit(train))
        {
            SageModel.Save(ml, trained.Model, trainFeatures.Schema, request.Output.Model, featurizers.Faces, featurizers.Audio, extraction);
        }
        var weights = trained.SaveWeights(request.Output);

        var (heldOut, count) = request.HeldOut.LabelFolder is null
            ? (validationFeatures, validationCount)
            : Featurized(featurizers, request.HeldOut.Load(ml, request.DataRoot), request.HeldOut.Name);
        var scored = VideoScoring.Predict(ml, trained.Model, heldOut, count, $"Scoring {request.HeldOut.Name} videos");
        var evaluation = VideoScoring.Evaluate(ml, scored);
        var plots = PlotSet.Save(request.Output.Plots, request.HeldOut.Name, scored, trained.Epochs, request.VideoPlots,
            SyntheticStages.Read(request.DataRoot));
        var report = MetricsReport.From(request.HeldOut.Name, evaluation, trained.Epochs, clock.Elapsed.TotalSeconds) with
        {
            Folds = trained.CrossValidation is { } folds ? FoldsMetrics.From(folds) : null,
        };
        return new TrainingOutcome(report, plots, scored, weights);
    }

    private static (IDataView Videos, int Count) Featurized(VideoFeaturizers featurizers, (IDataView Videos, int Count) raw, string splitName) =>
        (featurizers.Featurize(raw.Videos, splitName), raw.Count);
}

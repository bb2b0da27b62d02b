using Microsoft.ML;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>
/// Trains SAGE once per fold of the training videos (a video's _left and _right in one fold) and combines the fold models into one
/// predictor, scoring each on the validation videos; one progress bar over every fold's epochs and one line per epoch.
/// </summary>
internal static class SageFoldTraining
{
    /// <summary>Returns the combined predictor of <see cref="TrainingSettings.Folds"/> fold models trained on <paramref name="train"/>.</summary>
    /// <exception cref="UserInputException">The training videos form fewer groups than there are folds.</exception>
    public static TrainedModel Train(MLContext ml, IDataView train, IDataView validation, VideoFeaturizers featurizers, TrainingSettings settings)
    {
        var options = settings.ToSageOptions(featurizers.Faces.FeatureSize, featurizers.Audio.FeatureSize, validation: null);
        var epochs = Enumerable.Range(0, settings.Folds).Select(_ => new List<SageTrainingProgress>()).ToArray();
        var title = $"Training SAGE on {settings.Folds} folds, {FoldSelectionName.Of(settings.Selection)} (Dv {options.VisualFeatureSize}, Da {options.AudioFeatureSize})";
        var model = ProgressDisplay.Run(title, settings.Folds * settings.MaxEpochs, step =>
        {
            var crossValidation = new SageCrossValidationOptions
            {
                FoldCount = settings.Folds,
                Selection = settings.Selection,
                ValidationData = validation,
                Seed = settings.Seed,
                Progress = new FoldEpochProgress(step, epochs, settings.MaxEpochs),
            };
            try
            {
                return ml.Transforms.SageCrossValidation(options, crossValidation).Fit(train);
            }
            catch (ArgumentOutOfRangeException e) when (e.ParamName == nameof(SageCrossValidationOptions.FoldCount))
            {
                throw new UserInputException($"--folds {settings.Folds}: {e.Message.Split(Environment.NewLine)[0]}");
            }
        });
        return new TrainedModel(model, epochs, model.Report);
    }

    /// <summary>Prints each fold's epochs as they finish and keeps them for the training curves.</summary>
    private sealed class FoldEpochProgress(ProgressStep step, List<SageTrainingProgress>[] epochs, int maxEpochs) : IProgress<SageFoldProgress>
    {
        public void Report(SageFoldProgress value)
        {
            var epoch = value.Epoch;
            epochs[value.Fold - 1].Add(epoch);
            step.Note($"fold {value.Fold}/{value.FoldCount}  epoch {epoch.Epoch,3}/{epoch.MaxEpochs}  loss {epoch.TrainingLoss:F4}  " +
                (epoch.Validation is { } v ? $"held-out CCC {v.Mean:F4} (valence {v.Valence:F3}, arousal {v.Arousal:F3}){(epoch.IsBest ? " *" : "")}  " : "") +
                $"{epoch.FramesPerSecond:N0} frames/s");
            step.Advance((value.Fold - 1) * maxEpochs + epoch.Epoch, "");
        }
    }
}

using Microsoft.ML;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>Trains one SAGE model on featurised videos with a progress bar over epochs and one line per epoch.</summary>
internal static class SageTraining
{
    /// <summary>Returns the model trained on <paramref name="train"/>, keeping the epoch that did best on <paramref name="validation"/> when given.</summary>
    public static TrainedModel Train(MLContext ml, IDataView train, IDataView? validation, VideoFeaturizers featurizers, TrainingSettings settings)
    {
        var options = settings.ToSageOptions(featurizers.Faces.FeatureSize, featurizers.Audio.FeatureSize, validation);
        var epochs = new List<SageTrainingProgress>();
        var model = ProgressDisplay.Run($"Training SAGE (Dv {options.VisualFeatureSize}, Da {options.AudioFeatureSize})", settings.MaxEpochs, step =>
        {
            options.Progress = new EpochProgress(step, epochs);
            return ml.Transforms.Sage(options).Fit(train);
        });
        return new TrainedModel(model, [epochs], CrossValidation: null);
    }

    /// <summary>Prints each epoch as it finishes and keeps it for the training curves.</summary>
    private sealed class EpochProgress(ProgressStep step, List<SageTrainingProgress> epochs) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value)
        {
            epochs.Add(value);
            step.Note($"epoch {value.Epoch,3}/{value.MaxEpochs}  loss {value.TrainingLoss:F4}  " +
                (value.Validation is { } v ? $"validation CCC {v.Mean:F4} (valence {v.Valence:F3}, arousal {v.Arousal:F3}){(value.IsBest ? " *" : "")}  " : "") +
                $"{value.FramesPerSecond:N0} frames/s");
            step.Advance(value.Epoch, "");
        }
    }
}

using Microsoft.ML;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>How long and how SAGE trains: the schedule a user may change from the command line.</summary>
/// <param name="MaxEpochs">Passes over the training videos.</param>
/// <param name="BatchSize">Clips per optimisation step.</param>
/// <param name="LearningRate">AdamW learning rate.</param>
/// <param name="Patience">Epochs without a better validation CCC before training stops; 0 never stops early.</param>
/// <param name="Seed">Seed of initialisation, dropout and shuffling.</param>
/// <param name="Threads">CPU threads for training; 0 uses one per core.</param>
/// <param name="Folds">Cross-validation folds K of the training videos; 1 trains one model on all of them.</param>
/// <param name="Selection">How K fold models become one predictor; unused for one model.</param>
/// <param name="AugmentFaces">Whether the training videos' face crops are randomly cropped and flipped before the encoder.</param>
internal sealed record TrainingSettings(int MaxEpochs, int BatchSize, double LearningRate, int Patience, int Seed, int Threads,
    int Folds = 1, SageFoldSelection Selection = SageFoldSelection.TargetWise, bool AugmentFaces = false)
{
    /// <summary>Gets whether the run trains K fold models rather than one.</summary>
    public bool CrossValidates => Folds > 1;

    /// <summary>Returns SAGE's options for features of the given widths, validated on <paramref name="validation"/> (null for cross-validation).</summary>
    public SageOptions ToSageOptions(int visualFeatureSize, int audioFeatureSize, IDataView? validation) => new()
    {
        VisualFeatureSize = visualFeatureSize,
        AudioFeatureSize = audioFeatureSize,
        FaceFoundColumnName = "FaceFound",
        MaxEpochs = MaxEpochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        EarlyStoppingPatience = Patience,
        Seed = Seed,
        TrainingThreads = Threads,
        ValidationData = validation,
    };
}

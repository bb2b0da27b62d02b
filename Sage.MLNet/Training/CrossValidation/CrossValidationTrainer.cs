using Microsoft.ML;
using Sage.MLNet.Data;
using Sage.MLNet.Modeling;
using Sage.MLNet.Persistence;
using TorchSharp;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>
/// Trains one <see cref="SageNetwork"/> per fold, one after another: fold k trains on the other folds, keeps the epoch best on
/// its held-out fold (and stops early on it), and is scored on the validation set. Each network
/// is kept as a checkpoint and disposed before the next fold starts.
/// </summary>
internal sealed class CrossValidationTrainer
{
    private readonly SageOptions _options;
    private readonly SageCrossValidationOptions _crossValidation;

    public CrossValidationTrainer(SageOptions options, SageCrossValidationOptions crossValidation)
    {
        _options = options;
        _crossValidation = crossValidation;
    }

    /// <summary>Returns the trained folds in fold order.</summary>
    public IReadOnlyList<TrainedFold> Train(IDataView trainingData)
    {
        // Scoring between folds uses the same CPU threads as training does.
        using var session = new TorchSession(_options.TrainingThreads);
        return TrainFolds(trainingData);
    }

    private List<TrainedFold> TrainFolds(IDataView trainingData)
    {
        var plan = FoldPlan.Create(trainingData, _options.ValenceColumnName, _crossValidation.GroupColumnName,
            _crossValidation.FoldCount, _crossValidation.Seed);
        var config = SageNetworkConfig.From(_options);
        var folds = new List<TrainedFold>();
        for (var fold = 0; fold < plan.FoldCount; fold++)
        {
            var heldOutData = plan.HeldOut(fold);
            var progress = new FoldProgress(fold + 1, plan.FoldCount, _options.Progress, _crossValidation.Progress);
            var options = FoldOptions.For(_options, heldOutData, progress);
            using var network = new SageTrainer(options, config).Train(plan.Training(fold));
            var validation = _crossValidation.ValidationData is null ? null : Score(network, _crossValidation.ValidationData);
            folds.Add(new TrainedFold(plan.Videos(fold), plan.Frames(fold), progress.BestEpoch, progress.Epochs,
                progress.BestValidation!, validation, SageCheckpoint.From(network)));
        }
        return folds;
    }

    /// <summary>Returns the network's CCC on <paramref name="data"/>, computed on the training device as training's validation computes it.</summary>
    private CccMetrics Score(SageNetwork network, IDataView data)
    {
        var device = torch.device(_options.TrainingDevice);     // checked by the trainer already
        network.to(device);
        try
        {
            return TorchSession.Score(network, device, new SageVideoReader(data, _options, withLabels: true));
        }
        finally
        {
            network.cpu();
        }
    }
}

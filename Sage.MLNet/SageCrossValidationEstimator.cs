using Microsoft.ML;
using Sage.MLNet.Data;
using Sage.MLNet.Evaluation;
using Sage.MLNet.Export;
using Sage.MLNet.Training.CrossValidation;

namespace Sage.MLNet;

/// <summary>
/// Trains SAGE once per fold of a subject-independent K-fold split of the training videos and gives a
/// <see cref="SageCrossValidationTransformer"/> that predicts with the folds' combination, as one model.
/// </summary>
/// <remarks>
/// <para><see cref="Fit(IDataView)"/> splits the training rows into <see cref="SageCrossValidationOptions.FoldCount"/> folds, never
/// splitting a group of <see cref="SageCrossValidationOptions.GroupColumnName"/> (a video's <c>_left</c> and <c>_right</c> rows
/// stay together), balanced by frames. Fold k's network trains on the other folds with <see cref="SageOptions"/>; the held-out
/// fold chooses its best epoch and stops it early. Each fold model is then scored on the held-out fold and on
/// <see cref="SageCrossValidationOptions.ValidationData"/>. Every fold starts from the same <see cref="SageOptions.Seed"/> (and
/// <see cref="SageOptions.InitialCheckpoint"/>, when set). Folds train one after another and read the training data through
/// lazy views, so no fold copies it; each fold's network is kept as a checkpoint only.</para>
/// <para>With <see cref="SageFoldSelection.TargetWise"/> (the paper's), valence comes from the fold best on valence on the
/// validation set and arousal from the fold best on arousal; with <see cref="SageFoldSelection.Average"/>, both are the mean of
/// all folds. Reliability is the mean of the reliabilities of the folds used. The combination is exported as one ONNX graph, so
/// the fitted model predicts, saves and loads exactly like a <see cref="SageTransformer"/>, with the same columns. It runs one network
/// per fold used (the clips are cut once for all): at most two for target-wise selection, K for averaging.</para>
/// </remarks>
public sealed class SageCrossValidationEstimator : IEstimator<SageCrossValidationTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly SageOptions _options;
    private readonly SageCrossValidationOptions _crossValidation;

    internal SageCrossValidationEstimator(TransformsCatalog catalog, SageOptions options, SageCrossValidationOptions crossValidation)
    {
        _catalog = catalog;
        _options = options;
        _crossValidation = crossValidation;
    }

    /// <summary>Trains every fold on <paramref name="input"/> and returns their combination with its report; dispose it when done.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or mistyped (in the training or validation data), or the training data has
    /// fewer groups of videos than <see cref="SageCrossValidationOptions.FoldCount"/>.</exception>
    /// <exception cref="InvalidDataException">A row's sizes or values cannot be a video, or its group id is empty; the message names the row.</exception>
    /// <exception cref="OperationCanceledException"><see cref="SageOptions.CancellationToken"/> was cancelled.</exception>
    public SageCrossValidationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SageColumns.CheckFeatures(input.Schema, _options);
        SageColumns.CheckLabels(input.Schema, _options);
        var validationData = _crossValidation.ValidationData;
        if (validationData is not null)
        {
            SageColumns.CheckFeatures(validationData.Schema, _options);
            SageColumns.CheckLabels(validationData.Schema, _options);
        }
        var folds = new CrossValidationTrainer(_options, _crossValidation).Train(input);
        var weights = FoldSelection.Choose(_crossValidation.Selection, [.. folds.Select(f => f.Validation)]);
        var checkpoints = folds.Select(f => f.Checkpoint).ToArray();
        // The combined model has no checkpoint of its own: the transformer saves each fold's checkpoint instead.
        var model = SageServedModel.FromCheckpoints(_catalog, _options, checkpoints, weights.Valence, weights.Arousal, input);
        try
        {
            var combined = validationData is null
                ? null
                : CccEvaluator.Evaluate(model.Transform(validationData), _options.ValenceColumnName, _options.ArousalColumnName,
                    _options.PredictedValenceColumnName, _options.PredictedArousalColumnName);
            var results = folds.Select((f, i) => new SageFoldResult(i + 1, f.HeldOutVideos, f.HeldOutFrames, f.BestEpoch, f.Epochs,
                f.HeldOut, f.Validation, weights.Valence[i], weights.Arousal[i])).ToArray();
            var report = new SageCrossValidationReport(_crossValidation.Selection, results,
                weights.ValenceFold + 1, weights.ArousalFold + 1, combined);
            return new SageCrossValidationTransformer(model, report, checkpoints);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Returns the schema <see cref="Fit(IDataView)"/>'s model will produce: the input plus the three output columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SageColumns.CheckFeatures(inputSchema, _options);
        return OutputColumns.Append(_catalog, inputSchema, _options);
    }
}

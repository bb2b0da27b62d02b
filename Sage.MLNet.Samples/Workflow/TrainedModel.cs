using Microsoft.ML;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>A trained SAGE predictor, one model or the combination of K fold models, with what each network's epochs achieved.</summary>
/// <param name="Model">The fitted <see cref="SageTransformer"/> or <see cref="SageCrossValidationTransformer"/>; dispose it when done.</param>
/// <param name="Epochs">One list per trained network (one, or one per fold in fold order), each network's finished epochs in order.</param>
/// <param name="CrossValidation">The folds' report; null for one model.</param>
internal sealed record TrainedModel(ITransformer Model, IReadOnlyList<IReadOnlyList<SageTrainingProgress>> Epochs,
    SageCrossValidationReport? CrossValidation) : IDisposable
{
    /// <summary>Writes the TorchSharp weights into <paramref name="output"/> and returns the files: sage.ckpt, or sage-fold1.ckpt … sage-foldK.ckpt.</summary>
    public IReadOnlyList<string> SaveWeights(RunFolder output)
    {
        if (Model is SageCrossValidationTransformer folds)
        {
            var paths = Enumerable.Range(1, folds.Report.Folds.Count).Select(output.FoldCheckpoint).ToArray();
            for (var fold = 1; fold <= paths.Length; fold++)
            {
                folds.SaveCheckpoint(fold, paths[fold - 1]);
            }
            return paths;
        }
        ((SageTransformer)Model).SaveCheckpoint(output.Checkpoint);
        return [output.Checkpoint];
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose() => ((IDisposable)Model).Dispose();
}

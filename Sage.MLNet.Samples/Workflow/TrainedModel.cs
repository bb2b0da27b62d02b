namespace Sage.MLNet.Samples.Workflow;

/// <summary>A trained SAGE model with what each of its epochs achieved.</summary>
/// <param name="Model">The fitted model; dispose it when done.</param>
/// <param name="Epochs">One report per finished epoch, in order.</param>
internal sealed record TrainedModel(SageTransformer Model, IReadOnlyList<SageTrainingProgress> Epochs) : IDisposable
{
    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose() => Model.Dispose();
}

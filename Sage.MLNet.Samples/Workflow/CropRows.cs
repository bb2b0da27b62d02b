using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>
/// Scoring rows that come with their face crops (Aff-Wild2's <c>cropped_aligned</c>) through a model saved with its face
/// extraction: the extraction step is left out, so the given crops are featurised instead of faces found again.
/// </summary>
internal static class CropRows
{
    /// <summary>Returns the steps of <paramref name="model"/> after its face extraction (all of them when it has none); disposing the original disposes these.</summary>
    public static TransformerChain<ITransformer> Chain(TransformerChain<ITransformer> model) =>
        new([.. model.Where(step => step is not SageFaceExtractionTransformer)]);
}

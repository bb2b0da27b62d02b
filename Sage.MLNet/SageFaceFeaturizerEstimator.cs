using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet;

/// <summary>Estimator that featurises each video's face-crop folder into per-frame visual features; nothing is learned.</summary>
/// <remarks>Create it with <see cref="FaceFeaturizationCatalog.FeaturizeFaces(TransformsCatalog, SageFaceFeaturizerOptions)"/>.</remarks>
public sealed class SageFaceFeaturizerEstimator : IEstimator<SageFaceFeaturizerTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly SageFaceFeaturizerOptions _options;

    internal SageFaceFeaturizerEstimator(TransformsCatalog catalog, SageFaceFeaturizerOptions options)
    {
        _catalog = catalog;
        _options = options;
    }

    /// <summary>Checks the input columns and opens the image encoder; the data itself is not read.</summary>
    /// <param name="input">Rows with the face-folder and frame-count columns.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or mistyped; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The encoder model is missing; the message names the path.</exception>
    public SageFaceFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FaceColumns.Check(input.Schema, _options);
        return new SageFaceFeaturizerTransformer(_catalog, _options);
    }

    /// <summary>Returns the input columns plus the features and FaceFound columns, both variable-length vectors of Single.</summary>
    /// <param name="inputSchema">The shape of the rows to featurise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or mistyped; the message names it.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FaceColumns.Check(inputSchema, _options);
        // SchemaShape.Column's constructor is internal; the stock mapping that Transform uses declares the same columns.
        // Asking for its shape never runs the mapping, so it gets one that does nothing.
        return FaceFeaturizerMapping.Create(_catalog, static (_, _) => ([], []), _options).GetOutputSchema(inputSchema);
    }
}

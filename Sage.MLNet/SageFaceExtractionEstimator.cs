using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet;

/// <summary>Estimator that extracts aligned face crops from each row's video file; nothing is learned.</summary>
/// <remarks>Create it with <see cref="FaceExtractionCatalog.ExtractFaces(TransformsCatalog, SageFaceExtractionOptions)"/>.</remarks>
public sealed class SageFaceExtractionEstimator : IEstimator<SageFaceExtractionTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly SageFaceExtractionOptions _options;

    internal SageFaceExtractionEstimator(TransformsCatalog catalog, SageFaceExtractionOptions options)
    {
        _catalog = catalog;
        _options = options;
    }

    /// <summary>Checks the input column, finds ffmpeg and opens the detector; no video is read.</summary>
    /// <param name="input">Rows with the video file column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The video file column is missing or not text; the message names it.</exception>
    /// <exception cref="FileNotFoundException">ffmpeg or the packaged detector is missing; the message says where it looked.</exception>
    public SageFaceExtractionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FaceExtractionMapping.Check(input.Schema, _options);
        return new SageFaceExtractionTransformer(_catalog, _options);
    }

    /// <summary>Returns the input columns plus FaceFolder, FrameCount, FaceFound and FrameTime (and PersonId with <see cref="SageFaceExtractionOptions.RowPerPerson"/>).</summary>
    /// <param name="inputSchema">The shape of the rows.</param>
    /// <exception cref="ArgumentOutOfRangeException">The video file column is missing or not text; the message names it.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FaceExtractionMapping.Check(inputSchema, _options);
        // SchemaShape.Column's constructor is internal; the mapping that Transform uses declares the same columns and is never run here.
        return FaceExtractionMapping.Create(_catalog, static _ => throw new InvalidOperationException(), _options).GetOutputSchema(inputSchema);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet;

/// <summary>
/// Extracts each row's aligned face crops from its video file into the crop cache, when a cursor reaches the row.
/// Dispose the fitted transformer: it holds the detector's ONNX Runtime session.
/// </summary>
/// <remarks>
/// <para><c>mlContext.Model.Save</c> cannot save it: save the trained model with <see cref="SageModel.Save"/>, passing this
/// transformer, and load the whole chain with <see cref="SageModel.LoadWithFeaturizers"/>.</para>
/// </remarks>
public sealed class SageFaceExtractionTransformer : ITransformer, IDisposable
{
    private readonly SageFaceExtractionOptions _options;
    private readonly FaceExtractor _extractor;
    private readonly IEstimator<ITransformer> _mapping;

    internal SageFaceExtractionTransformer(TransformsCatalog catalog, SageFaceExtractionOptions options)
    {
        _options = options;
        _extractor = new FaceExtractor(options);
        _mapping = FaceExtractionMapping.Create(catalog, _extractor.Extract, options);
    }

    /// <summary>The settings it was made with, for <see cref="SageModel.Save"/>.</summary>
    internal SageFaceExtractionOptions Options => _options;

    /// <summary>The extractor, for the benchmark's stage timings and the detector's identity.</summary>
    internal FaceExtractor Extractor => _extractor;

    /// <summary>Returns false: extraction reads whole videos, so there is no per-row mapper to offer.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Returns the input schema with FaceFolder, FrameCount, FaceFound and FrameTime appended, and PersonId with <see cref="SageFaceExtractionOptions.RowPerPerson"/> (replacing columns of those names).</summary>
    /// <param name="inputSchema">The schema of the rows.</param>
    /// <exception cref="ArgumentOutOfRangeException">The video file column is missing or not text; the message names it.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FaceExtractionMapping.Check(inputSchema, _options);
        return FaceExtractionMapping.OutputSchema(inputSchema, _options);
    }

    /// <summary>Returns the rows with each video's crop folder, T, FaceFound and frame times, extracted when read; with <see cref="SageFaceExtractionOptions.RowPerPerson"/>, one row per person found.</summary>
    /// <param name="input">Rows with the video file column.</param>
    /// <remarks>Reading a row throws <see cref="InvalidDataException"/> naming the video when it is missing, unreadable, has no frame, or has no face under <see cref="SageNoFacePolicy.Error"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The video file column is missing or not text; the message names it.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FaceExtractionMapping.Check(input.Schema, _options);
        var rows = new BadRowErrorDataView(_mapping.Fit(input).Transform(input));
        return _options.RowPerPerson ? new PersonRows(rows, _options) : rows;
    }

    /// <summary>Throws <see cref="NotSupportedException"/>: <see cref="SageModel.Save"/> saves this transformer's settings instead.</summary>
    /// <param name="ctx">Unused.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException(
            "SageFaceExtractionTransformer cannot be saved by mlContext.Model.Save: save the trained SAGE model with SageModel.Save(..., extraction: this transformer) and load the chain with SageModel.LoadWithFeaturizers");

    /// <summary>Returns nothing: <see cref="IsRowToRowMapper"/> is false.</summary>
    /// <param name="inputSchema">Unused.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("SageFaceExtractionTransformer extracts whole videos; use Transform");

    /// <summary>Closes the packaged detector's ONNX Runtime session (a detector given in the options stays open).</summary>
    public void Dispose() => _extractor.Dispose();
}

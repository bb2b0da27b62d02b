using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Featurization.Faces;

namespace Sage.MLNet;

/// <summary>
/// Featurises each video's face-crop folder into per-frame visual features with an ONNX image encoder.
/// Dispose the fitted transformer: it holds an ONNX Runtime session.
/// </summary>
/// <remarks>
/// <para>Rows are featurised when a cursor reaches them, so a pass over <see cref="Transform"/>'s output decodes and encodes
/// every crop again; set <see cref="SageFaceFeaturizerOptions.CacheFolder"/> (and fill it with <see cref="SageFeatureCache.Fill"/>)
/// so later passes read each video's features from disk, or save the features yourself and train on them.</para>
/// <para><c>mlContext.Model.Save</c> cannot save it (<see cref="ICanSaveModel.Save"/> throws <see cref="NotSupportedException"/>):
/// save the trained model with <see cref="SageModel.Save"/>, passing this featurizer, and load both with
/// <see cref="SageModel.LoadWithFeaturizers"/>.</para>
/// </remarks>
public sealed class SageFaceFeaturizerTransformer : ITransformer, IDisposable, ICacheableFeaturizer
{
    private readonly ITransformer _mapping;
    private readonly FaceFeaturizer _featurizer;
    private readonly CachedFeaturizer _cached;
    private readonly SageFaceFeaturizerOptions _options;

    internal SageFaceFeaturizerTransformer(ITransformer mapping, FaceFeaturizer featurizer, CachedFeaturizer cached, SageFaceFeaturizerOptions options)
    {
        _mapping = mapping;
        _featurizer = featurizer;
        _cached = cached;
        _options = options;
    }

    /// <summary>The settings it was made with, for <see cref="SageModel.Save"/>.</summary>
    internal SageFaceFeaturizerOptions Options => _options;

    /// <summary>The encoder with its normalisation, for a live stream that encodes one crop at a time.</summary>
    internal FaceFeaturizer Featurizer => _featurizer;

    /// <summary>Gets whether rows can be featurised one at a time; true, so <c>PredictionEngine</c> works.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>Returns the width Dv of one frame's features: 512 for the packaged ResNet18.</summary>
    public int FeatureSize => _featurizer.FeatureSize;

    /// <summary>Returns the input schema with the features and FaceFound columns appended.</summary>
    /// <param name="inputSchema">The schema of the rows to featurise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or mistyped; the message names it.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FaceColumns.Check(inputSchema, _options);
        return _mapping.GetOutputSchema(inputSchema);
    }

    /// <summary>Returns the rows with each video's features (T × Dv, frame-major) and FaceFound (T values), computed when read.</summary>
    /// <param name="input">Rows with the face-folder and frame-count columns.</param>
    /// <remarks>
    /// A frame without a crop takes the features of the nearest earlier crop, or of the first crop when no earlier one
    /// exists, and has FaceFound 0, in training and inference alike. A folder with no crop at all fails
    /// (<see cref="SageFaceFeaturizerOptions.EmptyFolderIsError"/>) or gives zeros. Reading a row throws
    /// <see cref="InvalidDataException"/> for an unreadable crop, naming the video and the file, and
    /// <see cref="DirectoryNotFoundException"/> for a missing folder.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or mistyped; the message names it.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FaceColumns.Check(input.Schema, _options);
        return new BadRowErrorDataView(_mapping.Transform(input));
    }

    /// <summary>Throws <see cref="NotSupportedException"/>: ML.NET's public API cannot save this featurizer's state; <see cref="SageModel.Save"/> saves its settings instead.</summary>
    /// <param name="ctx">Unused.</param>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException(
            "SageFaceFeaturizerTransformer cannot be saved by mlContext.Model.Save: save the trained SAGE model with SageModel.Save(..., faces: this featurizer) and load both with SageModel.LoadWithFeaturizers");

    /// <summary>Returns a row mapper that adds the features and FaceFound columns, for one-row-at-a-time use.</summary>
    /// <param name="inputSchema">The schema of the rows to featurise.</param>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or mistyped; the message names it.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FaceColumns.Check(inputSchema, _options);
        return _mapping.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Closes the encoder's ONNX Runtime session.</summary>
    public void Dispose() => _featurizer.Dispose();

    CachedFeaturizer ICacheableFeaturizer.Cached => _cached;

    string ICacheableFeaturizer.SourceColumnName => _options.FaceFolderColumnName;

    string ICacheableFeaturizer.FrameCountColumnName => _options.FrameCountColumnName;

    void ICacheableFeaturizer.CheckInput(DataViewSchema schema) => FaceColumns.Check(schema, _options);
}

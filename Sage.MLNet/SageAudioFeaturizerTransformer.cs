using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;
using Sage.MLNet.Featurization.Audio;
using Sage.MLNet.Featurization.Cache;

namespace Sage.MLNet;

/// <summary>
/// Adds a column of per-frame audio features, T × Da Single values per row (frame-major), computed from each row's
/// video file. Made by <see cref="SageAudioFeaturizerEstimator.Fit(IDataView)"/>.
/// </summary>
/// <remarks>
/// <para>Rows are featurised lazily, as a cursor reaches them, on as many threads as ML.NET's cursors use. Each
/// thread holds one video's 16 kHz waveform (about 3.8 MB per minute of audio) and its features at a time.</para>
/// <para>A row whose video is missing, unreadable, truncated or corrupt, or has no audio track under
/// <see cref="SageMissingAudioPolicy.Error"/>, fails while the result is read, with an <see cref="InvalidDataException"/>
/// that names the video file and gives ffprobe's or ffmpeg's message.</para>
/// <para><c>mlContext.Model.Save</c> cannot save it (it throws <see cref="NotSupportedException"/>): save the trained model
/// with <see cref="SageModel.Save"/>, passing this featurizer, and load both with <see cref="SageModel.LoadWithFeaturizers"/>.</para>
/// <para>With an ONNX encoder this object holds an ONNX Runtime session: dispose the fitted transformer when done.</para>
/// </remarks>
public sealed class SageAudioFeaturizerTransformer : ITransformer, IDisposable, ICacheableFeaturizer
{
    private readonly ITransformer _mapping;
    private readonly AudioFeaturizer _featurizer;
    private readonly CachedFeaturizer _cached;
    private readonly SageAudioFeaturizerOptions _options;

    internal SageAudioFeaturizerTransformer(ITransformer mapping, AudioFeaturizer featurizer, CachedFeaturizer cached, SageAudioFeaturizerOptions options)
    {
        _mapping = mapping;
        _featurizer = featurizer;
        _cached = cached;
        _options = options;
    }

    /// <summary>The settings it was made with, for <see cref="SageModel.Save"/>.</summary>
    internal SageAudioFeaturizerOptions Options => _options;

    /// <summary>Gets what this featurizer does with a video that has no audio track (<see cref="SageAudioFeaturizerOptions.MissingAudio"/>, or the override given to <see cref="SageModel.LoadWithFeaturizers"/>).</summary>
    public SageMissingAudioPolicy MissingAudio => _options.MissingAudio;

    /// <summary>Gets Da, the number of audio features per video frame: 2 × <see cref="SageAudioFeaturizerOptions.MelBands"/> for log-mel, or the ONNX encoder's D.</summary>
    public int FeatureSize => _featurizer.FeatureSize;

    /// <summary>Gets whether rows can be featurised one at a time; true, so <c>PredictionEngine</c> works.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>Returns the input schema plus the audio features column, a variable-length vector of Single.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The video-file column is missing or not text, or the frame-count column is missing or not Int32.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        AudioColumns.Check(inputSchema, _options);
        return _mapping.GetOutputSchema(inputSchema);
    }

    /// <summary>Returns a row mapper that adds the audio features column, for one-row-at-a-time use.</summary>
    /// <inheritdoc cref="GetOutputSchema(DataViewSchema)" path="/exception"/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        AudioColumns.Check(inputSchema, _options);
        return _mapping.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Featurises every row of <paramref name="input"/>, lazily, adding the audio features column.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The video-file column is missing or not text, or the frame-count column is missing or not Int32.</exception>
    /// <exception cref="InvalidDataException">Thrown while reading the result, by a row whose video cannot be featurised; the message names the video file.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        AudioColumns.Check(input.Schema, _options);
        return new BadRowErrorDataView(_mapping.Transform(input));
    }

    /// <summary>Throws: ML.NET's public API cannot save this featurizer's state; <see cref="SageModel.Save"/> saves its settings instead.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException(
            "The SAGE audio featurizer cannot be saved by mlContext.Model.Save: save the trained SAGE model with " +
            "SageModel.Save(..., audio: this featurizer) and load both with SageModel.LoadWithFeaturizers.");

    /// <summary>Releases the ONNX Runtime session of an ONNX encoder; a log-mel featuriser holds nothing.</summary>
    public void Dispose() => _featurizer.Dispose();

    CachedFeaturizer ICacheableFeaturizer.Cached => _cached;

    string ICacheableFeaturizer.SourceColumnName => _options.VideoFileColumnName;

    string ICacheableFeaturizer.FrameCountColumnName => _options.FrameCountColumnName;

    void ICacheableFeaturizer.CheckInput(DataViewSchema schema) => AudioColumns.Check(schema, _options);
}

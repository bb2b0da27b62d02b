using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Export;
using Sage.MLNet.Persistence;

namespace Sage.MLNet;

/// <summary>
/// A trained SAGE model: predicts valence, arousal and reliability for every frame of each video row,
/// through ONNX Runtime on the CPU or a GPU. Made by <see cref="SageEstimator.Fit(IDataView)"/>.
/// </summary>
/// <remarks>
/// <para><c>mlContext.Model.Save</c> stores the ONNX graph inside the model zip; <c>mlContext.Model.Load</c>
/// (or <see cref="SageModel.Load"/>) gives back ML.NET's own OnnxTransformer, which predicts the same
/// values with no reference to TorchSharp or to this library. <see cref="SaveCheckpoint(string)"/> writes
/// the TorchSharp weights beside it for fine-tuning.</para>
/// <para>Before a row reaches ONNX Runtime this object checks its features, as training does: a row whose
/// visual or audio vector is empty, is not a whole number of frames, holds NaN or infinity, or whose two
/// modalities have different frame counts fails with an <see cref="InvalidDataException"/> naming the column,
/// the row (and its VideoId when the data has a text VideoId column) and the bad size or value. These checks
/// belong to this in-process object only: the model that <c>mlContext.Model.Load</c> or <see cref="SageModel.Load"/>
/// gives back is ML.NET's stock OnnxTransformer without them, on which such a row fails inside ONNX Runtime
/// or, for NaN, silently predicts NaN.</para>
/// <para>Overlapping clips are averaged per frame. Reliability is a frame's fusion weight relative to its clip's
/// average frame, averaged over the clips that cover it: α·N (N frames in the clip) for the default fusion;
/// <see cref="SageFusion"/> says what it is for each variant, and which add VisualReliability and AudioReliability.</para>
/// <para>This object holds an ONNX Runtime session: dispose the fitted transformer when done. As with any
/// ML.NET model, a <c>PredictionEngine</c> disposes the model it was made from when it is itself disposed,
/// unless it was created with <c>PredictionEngineOptions.OwnsTransformer = false</c>.</para>
/// </remarks>
public sealed class SageTransformer : ITransformer, IDisposable
{
    private readonly SageServedModel _model;
    private readonly SageCheckpoint _checkpoint;

    internal SageTransformer(SageServedModel model, SageCheckpoint checkpoint)
    {
        _model = model;
        _checkpoint = checkpoint;
    }

    /// <summary>Gets whether the model can score one row at a time; true, so <c>PredictionEngine</c> works.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>Returns the input schema plus the predicted valence, predicted arousal and reliability column(s).</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _model.GetOutputSchema(inputSchema);

    /// <summary>Returns a row mapper that adds the output columns, for one-row-at-a-time scoring.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature column is missing or is not a vector of Single.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _model.GetRowToRowMapper(inputSchema);

    /// <summary>Scores every video row of <paramref name="input"/>, lazily, adding the output columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature column is missing or is not a vector of Single.</exception>
    /// <exception cref="InvalidDataException">Thrown while reading the result, by a row whose features cannot be a video; the message names the row.</exception>
    public IDataView Transform(IDataView input) => _model.Transform(input);

    /// <summary>Writes the TorchSharp weights and network sizes to <paramref name="path"/> (atomically), for <see cref="SageOptions.InitialCheckpoint"/>.</summary>
    public void SaveCheckpoint(string path) => _checkpoint.Save(path);

    void ICanSaveModel.Save(ModelSaveContext ctx) => _model.Save(ctx);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _model.Dispose();
}

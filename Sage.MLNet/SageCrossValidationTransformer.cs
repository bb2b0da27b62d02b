using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Export;
using Sage.MLNet.Persistence;

namespace Sage.MLNet;

/// <summary>
/// The combined predictor of a cross-validation run: predicts valence, arousal and reliability for every frame of each
/// video row, like a <see cref="SageTransformer"/>, and gives the run's <see cref="Report"/>.
/// Made by <see cref="SageCrossValidationEstimator.Fit(IDataView)"/>.
/// </summary>
/// <remarks>
/// <para>The folds it uses are one ONNX graph: <c>mlContext.Model.Save</c> stores it in the model zip, and
/// <c>mlContext.Model.Load</c> or <see cref="SageModel.Load"/> give back ML.NET's OnnxTransformer, which predicts the same values.
/// Rows are checked before they reach ONNX Runtime as <see cref="SageTransformer"/> checks them.</para>
/// <para>This object holds an ONNX Runtime session: dispose it when done.</para>
/// </remarks>
public sealed class SageCrossValidationTransformer : ITransformer, IDisposable
{
    private readonly SageServedModel _model;
    private readonly IReadOnlyList<SageCheckpoint> _checkpoints;

    internal SageCrossValidationTransformer(SageServedModel model, SageCrossValidationReport report,
        IReadOnlyList<SageCheckpoint> checkpoints)
    {
        _model = model;
        Report = report;
        _checkpoints = checkpoints;
    }

    /// <summary>Gets the scores of every fold, the folds chosen per target and the combination's scores.</summary>
    public SageCrossValidationReport Report { get; }

    /// <summary>Gets whether the model can score one row at a time; true, so <c>PredictionEngine</c> works.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>Returns the input schema plus the predicted valence, predicted arousal and reliability columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _model.GetOutputSchema(inputSchema);

    /// <summary>Returns a row mapper that adds the three output columns, for one-row-at-a-time scoring.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature column is missing or is not a vector of Single.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _model.GetRowToRowMapper(inputSchema);

    /// <summary>Scores every video row of <paramref name="input"/>, lazily, adding the three output columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A feature column is missing or is not a vector of Single.</exception>
    /// <exception cref="InvalidDataException">Thrown while reading the result, by a row whose features cannot be a video; the message names the row.</exception>
    public IDataView Transform(IDataView input) => _model.Transform(input);

    /// <summary>
    /// Writes one fold's TorchSharp weights and network sizes to <paramref name="path"/> (atomically), for
    /// <see cref="SageOptions.InitialCheckpoint"/>.
    /// </summary>
    /// <param name="fold">The fold, counted from 1 as in <see cref="Report"/>.</param>
    /// <param name="path">The checkpoint file to write.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fold"/> is not between 1 and the number of folds.</exception>
    public void SaveCheckpoint(int fold, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (fold < 1 || fold > _checkpoints.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(fold), fold, $"fold must be between 1 and {_checkpoints.Count}.");
        }
        _checkpoints[fold - 1].Save(path);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => _model.Save(ctx);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _model.Dispose();
}

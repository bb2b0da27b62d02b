using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;
using Sage.MLNet.Export;
using Sage.MLNet.Modeling;
using Sage.MLNet.Persistence;
using Sage.MLNet.Training;

namespace Sage.MLNet;

/// <summary>
/// Trains SAGE on per-frame visual and audio features and gives a <see cref="SageTransformer"/> that
/// predicts valence, arousal and a reliability weight for every frame of a video.
/// </summary>
/// <remarks>
/// <para>One row is one video. <see cref="Fit(IDataView)"/> trains the network with TorchSharp on clips of
/// <see cref="SageOptions.WindowLength"/> frames, then writes the trained network, clip cutting and
/// per-frame merging included, as one ONNX graph that ML.NET's OnnxTransformer serves. The fitted model
/// therefore saves and loads with <c>mlContext.Model.Save</c>/<c>Load</c> and needs no TorchSharp to predict.</para>
/// <list type="table">
/// <listheader><term>Column</term><description>Type and meaning</description></listheader>
/// <item><term>VisualFeatures (input)</term><description>Variable-length vector of Single: T × Dv values, frame-major.</description></item>
/// <item><term>AudioFeatures (input)</term><description>Variable-length vector of Single: T × Da values, frame-major.</description></item>
/// <item><term>Valence, Arousal (input, training only)</term><description>Variable-length vectors of Single: T labels each, −5 = not annotated.</description></item>
/// <item><term>PredictedValence, PredictedArousal (output)</term><description>Variable-length vectors of Single: T values in [−1, 1].</description></item>
/// <item><term>Reliability (output)</term><description>Variable-length vector of Single: T fusion weights, 1 = the clip's average frame.</description></item>
/// <item><term>VisualReliability, AudioReliability (output)</term><description>Variable-length vectors of Single: T weights of each modality, on the scale of
/// Reliability; only for the fusion variants with a weight per modality (<see cref="SageFusion"/>).</description></item>
/// </list>
/// </remarks>
public sealed class SageEstimator : IEstimator<SageTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly SageOptions _options;

    internal SageEstimator(TransformsCatalog catalog, SageOptions options)
    {
        _catalog = catalog;
        _options = options;
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted model; dispose it when done.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or is not a vector of Single.</exception>
    /// <exception cref="InvalidDataException">A row's sizes or values cannot be a video; the message names the row.</exception>
    /// <exception cref="OperationCanceledException"><see cref="SageOptions.CancellationToken"/> was cancelled.</exception>
    public SageTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SageColumns.CheckFeatures(input.Schema, _options);
        SageColumns.CheckLabels(input.Schema, _options);
        var config = SageNetworkConfig.From(_options);
        using var network = new SageTrainer(_options, config).Train(input);
        var checkpoint = SageCheckpoint.From(network);
        return new SageTransformer(SageServedModel.FromNetwork(_catalog, _options, network, input), checkpoint);
    }

    /// <summary>Returns the schema <see cref="Fit(IDataView)"/>'s model will produce: the input plus the output columns of its fusion variant.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        SageColumns.CheckFeatures(inputSchema, _options);
        return OutputColumns.Append(_catalog, inputSchema, _options);
    }
}

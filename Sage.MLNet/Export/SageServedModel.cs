using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Sage.MLNet.Data;
using Sage.MLNet.IO;
using Sage.MLNet.Modeling;
using Sage.MLNet.Persistence;

namespace Sage.MLNet.Export;

/// <summary>
/// The one seam from trained networks to a served model: exports one network, or a weighted combination of several,
/// as one ONNX graph, serves it with ML.NET's OnnxTransformer under the options' column names, and checks each row's
/// features before ONNX Runtime sees them. <see cref="SageTransformer"/> and <see cref="SageCrossValidationTransformer"/>
/// are this model plus what each adds (a checkpoint; a report and the folds' checkpoints).
/// </summary>
internal sealed class SageServedModel : IDisposable
{
    private readonly OnnxTransformer _onnx;
    private readonly SageWindowedScorer _scorer;
    private readonly SageOptions _options;
    private readonly TemporaryFile _graphFile;

    private SageServedModel(OnnxTransformer onnx, SageWindowedScorer scorer, SageOptions options, TemporaryFile graphFile)
    {
        _onnx = onnx;
        _scorer = scorer;
        _options = options;
        _graphFile = graphFile;
    }

    /// <summary>Serves one trained network.</summary>
    /// <param name="catalog">The catalog whose context runs ONNX Runtime.</param>
    /// <param name="options">Column names and GPU placement.</param>
    /// <param name="network">The network, on the CPU, in evaluation mode.</param>
    /// <param name="input">Data with the input columns; only its schema is read.</param>
    public static SageServedModel FromNetwork(TransformsCatalog catalog, SageOptions options, SageNetwork network, IDataView input) =>
        Serve(catalog, options, network.Config, SageOnnxExporter.Export(network, Names(options)), input);

    /// <summary>
    /// Serves the weighted combination of networks rebuilt from <paramref name="checkpoints"/>: member i's valence counts
    /// <paramref name="valenceWeights"/>[i] and its arousal <paramref name="arousalWeights"/>[i]; a member weighted 0 on both is left out.
    /// The rebuilt networks are disposed before this returns.
    /// </summary>
    public static SageServedModel FromCheckpoints(TransformsCatalog catalog, SageOptions options, IReadOnlyList<SageCheckpoint> checkpoints,
        IReadOnlyList<float> valenceWeights, IReadOnlyList<float> arousalWeights, IDataView input)
    {
        var members = new List<SageOnnxMember>();
        try
        {
            for (var i = 0; i < checkpoints.Count; i++)
            {
                if (valenceWeights[i] == 0 && arousalWeights[i] == 0)
                {
                    continue;
                }
                var network = new SageNetwork(checkpoints[i].Config);
                members.Add(new SageOnnxMember(network, valenceWeights[i], arousalWeights[i]));
                checkpoints[i].LoadInto(network);
                network.eval();
            }
            return Serve(catalog, options, checkpoints[0].Config, SageOnnxExporter.Export(members, Names(options)), input);
        }
        finally
        {
            foreach (var member in members)
            {
                member.Network.Dispose();
            }
        }
    }

    /// <summary>Returns the graph's input and output names: the options' column names, which OnnxTransformer binds by name.</summary>
    public static SageOnnxNames Names(SageOptions options) => new(
        options.VisualFeaturesColumnName,
        options.AudioFeaturesColumnName,
        options.PredictedValenceColumnName,
        options.PredictedArousalColumnName,
        options.ReliabilityColumnName,
        options.VisualReliabilityColumnName,
        options.AudioReliabilityColumnName);

    /// <summary>Returns the input schema plus the predicted valence, predicted arousal and reliability columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        SageColumns.CheckFeatures(inputSchema, _options);
        return _onnx.GetOutputSchema(inputSchema);
    }

    /// <summary>Returns a row mapper that checks each row's features and adds the three output columns.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        SageColumns.CheckFeatures(inputSchema, _options);
        var mapper = ((ITransformer)_onnx).GetRowToRowMapper(inputSchema);
        return new ValidatedFeaturesRowMapper(mapper, FeatureColumns.From(inputSchema, _options));
    }

    /// <summary>
    /// Scores every row lazily, a long video a window of clips at a time (<see cref="SageWindowedScorer"/>); a row whose features
    /// cannot be a video fails naming itself, unwrapped from ML.NET's worker exceptions.
    /// </summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SageColumns.CheckFeatures(input.Schema, _options);
        var checkedInput = new ValidatedFeaturesDataView(input, FeatureColumns.From(input.Schema, _options));
        return _scorer.Transform(checkedInput);
    }

    /// <summary>Saves the ONNX graph as ML.NET's OnnxTransformer saves it, so the model loads without this library.</summary>
    public void Save(ModelSaveContext ctx) => ((ICanSaveModel)_onnx).Save(ctx);

    /// <summary>Releases the ONNX Runtime sessions, then deletes the graph's file.</summary>
    public void Dispose()
    {
        _scorer.Dispose();
        _graphFile.Dispose();
    }

    private static SageServedModel Serve(TransformsCatalog catalog, SageOptions options, SageNetworkConfig config, byte[] graph, IDataView input)
    {
        var names = Names(options);
        // OnnxTransformer reads its graph from a file for as long as it lives (saving copies the file into the zip). Given a
        // stream, ML.NET 6 copies it to a temporary file that it never deletes, one per fitted model; given a path, it
        // leaves the file to its owner, so this model writes the file itself and deletes it when disposed.
        var graphFile = TemporaryFile.Write("graph", ".onnx", graph);
        OnnxTransformer? onnx = null;
        try
        {
            onnx = catalog.ApplyOnnxModel(
                    names.Outputs(config),
                    [names.VisualFeatures, names.AudioFeatures],
                    graphFile.Path, options.GpuDeviceId, options.FallbackToCpu)
                .Fit(input);     // a trivial estimator: Fit reads only the schema
            var windows = new SageScoringWindows(config.WindowLength, config.WindowStride, config.VisualFeatureSize, config.AudioFeatureSize);
            var windowed = new SageWindowedGraph(windows, names.VisualFeatures, names.AudioFeatures, names.Outputs(config));
            // On the CPU the windows run through the scorer's own session (its arena shrunk every 8th window); on a GPU through the OnnxTransformer's.
            return new SageServedModel(onnx, windowed.Serve(onnx, options.GpuDeviceId is null ? graph : null), options, graphFile);
        }
        catch
        {
            onnx?.Dispose();
            graphFile.Dispose();
            throw;
        }
    }
}

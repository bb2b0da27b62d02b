namespace Sage.MLNet.Export;

/// <summary>
/// The names of the exported graph's inputs and outputs; ML.NET's OnnxTransformer binds columns to
/// graph values by name, so these are the column names of the scoring pipeline. The two per-modality
/// weights are outputs only of networks whose fusion gives them (<see cref="Modeling.SageNetworkConfig.HasModalityWeights"/>).
/// </summary>
internal sealed record SageOnnxNames(
    string VisualFeatures,
    string AudioFeatures,
    string PredictedValence,
    string PredictedArousal,
    string Reliability,
    string VisualReliability = "VisualReliability",
    string AudioReliability = "AudioReliability")
{
    /// <summary>
    /// The value that holds X of eq. 3 (both TCNs' outputs, [W, n, D]) in a graph of one network: a live stream computes
    /// the TCNs itself, once per frame, and feeds the rest of the graph from here. Graphs of several networks have none.
    /// </summary>
    public const string TcnOutput = "sage.tcn_output";

    /// <summary>Returns the output names of a network of <paramref name="config"/>, in the graph's order.</summary>
    public string[] Outputs(Modeling.SageNetworkConfig config) => config.HasModalityWeights
        ? [PredictedValence, PredictedArousal, Reliability, VisualReliability, AudioReliability]
        : [PredictedValence, PredictedArousal, Reliability];
}

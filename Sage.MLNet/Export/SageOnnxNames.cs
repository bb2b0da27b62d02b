namespace Sage.MLNet.Export;

/// <summary>
/// The names of the exported graph's inputs and outputs; ML.NET's OnnxTransformer binds columns to
/// graph values by name, so these are the column names of the scoring pipeline.
/// </summary>
internal sealed record SageOnnxNames(
    string VisualFeatures,
    string AudioFeatures,
    string PredictedValence,
    string PredictedArousal,
    string Reliability);

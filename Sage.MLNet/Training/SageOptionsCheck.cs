using Sage.MLNet.Data;
using static Sage.MLNet.Data.OptionsCheck;

namespace Sage.MLNet.Training;

/// <summary>Rejects out-of-range <see cref="SageOptions"/> in the catalog call, naming the option (see <see cref="OptionsCheck"/>).</summary>
internal static class SageOptionsCheck
{
    public static void Validate(SageOptions o)
    {
        Positive(o.VisualFeatureSize, nameof(o.VisualFeatureSize));
        Positive(o.AudioFeatureSize, nameof(o.AudioFeatureSize));
        Positive(o.WindowLength, nameof(o.WindowLength));
        Positive(o.WindowStride, nameof(o.WindowStride));
        Require(o.WindowStride <= o.WindowLength, o.WindowStride, nameof(o.WindowStride), $"must not exceed WindowLength ({o.WindowLength}), or frames between clips would never be seen");
        Positive(o.TcnChannels, nameof(o.TcnChannels));
        Positive(o.TcnLevels, nameof(o.TcnLevels));
        Require(o.TcnKernelSize > 0 && o.TcnKernelSize % 2 == 1, o.TcnKernelSize, nameof(o.TcnKernelSize), "must be a positive odd number");
        Positive(o.TransformerLayers, nameof(o.TransformerLayers));
        Positive(o.AttentionHeads, nameof(o.AttentionHeads));
        Require(2 * o.TcnChannels % o.AttentionHeads == 0, o.AttentionHeads, nameof(o.AttentionHeads), $"must divide the fused width 2 × TcnChannels = {2 * o.TcnChannels}");
        Positive(o.FeedForwardSize, nameof(o.FeedForwardSize));
        Positive(o.HeadHiddenSize, nameof(o.HeadHiddenSize));
        Require(o.Dropout is >= 0 and < 1, o.Dropout, nameof(o.Dropout), "must be in [0, 1)");
        Defined(o.Fusion, nameof(o.Fusion));
        Defined(o.ReliabilityScaling, nameof(o.ReliabilityScaling));
        Positive(o.MaxEpochs, nameof(o.MaxEpochs));
        Positive(o.BatchSize, nameof(o.BatchSize));
        Require(o.LearningRate > 0 && double.IsFinite(o.LearningRate), o.LearningRate, nameof(o.LearningRate), "must be positive");
        Require(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), o.WeightDecay, nameof(o.WeightDecay), "must be zero or positive");
        Require(o.GradientClipNorm >= 0 && double.IsFinite(o.GradientClipNorm), o.GradientClipNorm, nameof(o.GradientClipNorm), "must be zero (off) or positive");
        Positive(o.ShuffleBufferSize, nameof(o.ShuffleBufferSize));
        Require(o.EarlyStoppingPatience >= 0, o.EarlyStoppingPatience, nameof(o.EarlyStoppingPatience), "must be zero (off) or positive");
        Require(o.TrainingThreads >= 0, o.TrainingThreads, nameof(o.TrainingThreads), "must be zero (one per core) or positive");
        Require(!string.IsNullOrWhiteSpace(o.TrainingDevice), o.TrainingDevice, nameof(o.TrainingDevice), "must name a device such as \"cpu\" or \"cuda:0\"");
        Require(o.GpuDeviceId is null or >= 0, o.GpuDeviceId, nameof(o.GpuDeviceId), "must be null or a device index");
        (string? Value, string Name)[] columns =
        [
            (o.VisualFeaturesColumnName, nameof(o.VisualFeaturesColumnName)),
            (o.AudioFeaturesColumnName, nameof(o.AudioFeaturesColumnName)),
            (o.ValenceColumnName, nameof(o.ValenceColumnName)),
            (o.ArousalColumnName, nameof(o.ArousalColumnName)),
            (o.PredictedValenceColumnName, nameof(o.PredictedValenceColumnName)),
            (o.PredictedArousalColumnName, nameof(o.PredictedArousalColumnName)),
            (o.ReliabilityColumnName, nameof(o.ReliabilityColumnName)),
            (o.VisualReliabilityColumnName, nameof(o.VisualReliabilityColumnName)),
            (o.AudioReliabilityColumnName, nameof(o.AudioReliabilityColumnName)),
        ];
        foreach (var (value, name) in columns)
        {
            ColumnName(value, name);
        }
        Require(o.FaceFoundColumnName is null || !string.IsNullOrWhiteSpace(o.FaceFoundColumnName), o.FaceFoundColumnName,
            nameof(o.FaceFoundColumnName), "must be null (every frame counts) or name a column");
        var outputs = columns[4..];
        for (var i = 1; i < outputs.Length; i++)
        {
            var earlier = outputs[..i].FirstOrDefault(c => c.Value == outputs[i].Value).Name;
            Require(earlier is null, outputs[i].Value, outputs[i].Name, $"must differ from {earlier}; every output column needs its own name");
        }
    }
}

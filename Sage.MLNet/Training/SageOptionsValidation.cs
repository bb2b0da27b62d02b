namespace Sage.MLNet.Training;

/// <summary>Rejects out-of-range <see cref="SageOptions"/> when the estimator is created, naming the option.</summary>
internal static class SageOptionsValidation
{
    public static void Validate(SageOptions o)
    {
        Positive(o.VisualFeatureSize, nameof(o.VisualFeatureSize));
        Positive(o.AudioFeatureSize, nameof(o.AudioFeatureSize));
        Positive(o.WindowLength, nameof(o.WindowLength));
        Positive(o.WindowStride, nameof(o.WindowStride));
        Check(o.WindowStride <= o.WindowLength, o.WindowStride, nameof(o.WindowStride), $"must not exceed WindowLength ({o.WindowLength}), or frames between clips would never be seen");
        Positive(o.TcnChannels, nameof(o.TcnChannels));
        Positive(o.TcnLevels, nameof(o.TcnLevels));
        Check(o.TcnKernelSize > 0 && o.TcnKernelSize % 2 == 1, o.TcnKernelSize, nameof(o.TcnKernelSize), "must be a positive odd number");
        Positive(o.TransformerLayers, nameof(o.TransformerLayers));
        Positive(o.AttentionHeads, nameof(o.AttentionHeads));
        Check(2 * o.TcnChannels % o.AttentionHeads == 0, o.AttentionHeads, nameof(o.AttentionHeads), $"must divide the fused width 2 × TcnChannels = {2 * o.TcnChannels}");
        Positive(o.FeedForwardSize, nameof(o.FeedForwardSize));
        Positive(o.HeadHiddenSize, nameof(o.HeadHiddenSize));
        Check(o.Dropout is >= 0 and < 1, o.Dropout, nameof(o.Dropout), "must be in [0, 1)");
        Check(Enum.IsDefined(o.ReliabilityScaling), o.ReliabilityScaling, nameof(o.ReliabilityScaling), "is not a defined value");
        Positive(o.MaxEpochs, nameof(o.MaxEpochs));
        Positive(o.BatchSize, nameof(o.BatchSize));
        Check(o.LearningRate > 0 && double.IsFinite(o.LearningRate), o.LearningRate, nameof(o.LearningRate), "must be positive");
        Check(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), o.WeightDecay, nameof(o.WeightDecay), "must be zero or positive");
        Check(o.GradientClipNorm >= 0 && double.IsFinite(o.GradientClipNorm), o.GradientClipNorm, nameof(o.GradientClipNorm), "must be zero (off) or positive");
        Positive(o.ShuffleBufferSize, nameof(o.ShuffleBufferSize));
        Check(o.EarlyStoppingPatience >= 0, o.EarlyStoppingPatience, nameof(o.EarlyStoppingPatience), "must be zero (off) or positive");
        Check(o.TrainingThreads >= 0, o.TrainingThreads, nameof(o.TrainingThreads), "must be zero (one per core) or positive");
        Check(!string.IsNullOrWhiteSpace(o.TrainingDevice), o.TrainingDevice, nameof(o.TrainingDevice), "must name a device such as \"cpu\" or \"cuda:0\"");
        Check(o.GpuDeviceId is null or >= 0, o.GpuDeviceId, nameof(o.GpuDeviceId), "must be null or a device index");
        (string? Value, string Name)[] columns =
        [
            (o.VisualFeaturesColumnName, nameof(o.VisualFeaturesColumnName)),
            (o.AudioFeaturesColumnName, nameof(o.AudioFeaturesColumnName)),
            (o.ValenceColumnName, nameof(o.ValenceColumnName)),
            (o.ArousalColumnName, nameof(o.ArousalColumnName)),
            (o.PredictedValenceColumnName, nameof(o.PredictedValenceColumnName)),
            (o.PredictedArousalColumnName, nameof(o.PredictedArousalColumnName)),
            (o.ReliabilityColumnName, nameof(o.ReliabilityColumnName)),
        ];
        foreach (var (value, name) in columns)
        {
            Check(!string.IsNullOrWhiteSpace(value), value, name, "must name a column");
        }
        Check(o.FaceFoundColumnName is null || !string.IsNullOrWhiteSpace(o.FaceFoundColumnName), o.FaceFoundColumnName,
            nameof(o.FaceFoundColumnName), "must be null (every frame counts) or name a column");
        var outputs = columns[4..];
        for (var i = 1; i < outputs.Length; i++)
        {
            var earlier = outputs[..i].FirstOrDefault(c => c.Value == outputs[i].Value).Name;
            Check(earlier is null, outputs[i].Value, outputs[i].Name, $"must differ from {earlier}; the three output columns need three names");
        }
    }

    private static void Positive(int value, string name) => Check(value > 0, value, name, "must be positive");

    private static void Check(bool condition, object? value, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}.");
        }
    }
}

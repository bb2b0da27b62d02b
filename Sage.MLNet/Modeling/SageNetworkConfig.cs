using System.Text.Json.Serialization;

namespace Sage.MLNet.Modeling;

/// <summary>The sizes that define a SAGE network; saved with its weights so the same network can be rebuilt.</summary>
internal sealed record SageNetworkConfig
{
    public required int VisualFeatureSize { get; init; }
    public required int AudioFeatureSize { get; init; }
    public required int TcnChannels { get; init; }
    public required int TcnLevels { get; init; }
    public required int TcnKernelSize { get; init; }
    public required int TransformerLayers { get; init; }
    public required int AttentionHeads { get; init; }
    public required int FeedForwardSize { get; init; }
    public required int HeadHiddenSize { get; init; }
    public required double Dropout { get; init; }
    public required int WindowLength { get; init; }
    public required int WindowStride { get; init; }

    /// <summary>The fusion variant; checkpoints written before variants existed hold none and are the default.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SageFusion>))]
    public SageFusion Fusion { get; init; } = SageFusion.ReliabilityGuided;

    [JsonConverter(typeof(JsonStringEnumConverter<SageReliabilityScaling>))]
    public required SageReliabilityScaling ReliabilityScaling { get; init; }

    /// <summary>Width D of the fused representation: both TCN outputs concatenated.</summary>
    [JsonIgnore]
    public int FusedSize => 2 * TcnChannels;

    /// <summary>Returns whether weights trained for <paramref name="other"/> fit this network: settings that hold no weights may differ.</summary>
    public bool HasSameWeightShapes(SageNetworkConfig other) =>
        this == other with { Dropout = Dropout, WindowLength = WindowLength, WindowStride = WindowStride, ReliabilityScaling = ReliabilityScaling };

    public static SageNetworkConfig From(SageOptions options) => new()
    {
        VisualFeatureSize = options.VisualFeatureSize,
        AudioFeatureSize = options.AudioFeatureSize,
        TcnChannels = options.TcnChannels,
        TcnLevels = options.TcnLevels,
        TcnKernelSize = options.TcnKernelSize,
        TransformerLayers = options.TransformerLayers,
        AttentionHeads = options.AttentionHeads,
        FeedForwardSize = options.FeedForwardSize,
        HeadHiddenSize = options.HeadHiddenSize,
        Dropout = options.Dropout,
        WindowLength = options.WindowLength,
        WindowStride = options.WindowStride,
        ReliabilityScaling = options.ReliabilityScaling,
        Fusion = options.Fusion,
    };

    /// <summary>Whether the network gives a weight per modality (the VisualReliability and AudioReliability outputs).</summary>
    [JsonIgnore]
    public bool HasModalityWeights => Fusion is SageFusion.ModalityReliability or SageFusion.GatedMultimodalUnit;
}

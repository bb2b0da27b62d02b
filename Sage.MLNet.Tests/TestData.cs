using Sage.MLNet.Modeling;
using Sage.MLNet.Synthetic;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Tests;

/// <summary>Small networks and data sets that train in seconds, shared by the tests.</summary>
internal static class TestData
{
    public const int VisualSize = 16;
    public const int AudioSize = 8;

    public static SageOptions SmallOptions(int maxEpochs = 3) => new()
    {
        VisualFeatureSize = VisualSize,
        AudioFeatureSize = AudioSize,
        TcnChannels = 16,
        TcnLevels = 2,
        TransformerLayers = 1,
        AttentionHeads = 2,
        FeedForwardSize = 32,
        HeadHiddenSize = 16,
        MaxEpochs = maxEpochs,
        BatchSize = 4,
        Seed = 7,
    };

    /// <summary>A SAGE network small enough to build and run in milliseconds, with the paper's clip length and stride.</summary>
    public static SageNetworkConfig TinyNetworkConfig(int visualSize, int audioSize,
        SageReliabilityScaling scaling = SageReliabilityScaling.FrameCount, SageFusion fusion = SageFusion.ReliabilityGuided) => new()
    {
        VisualFeatureSize = visualSize,
        AudioFeatureSize = audioSize,
        TcnChannels = 8,
        TcnLevels = 2,
        TcnKernelSize = 3,
        TransformerLayers = 2,
        AttentionHeads = 2,
        FeedForwardSize = 16,
        HeadHiddenSize = 8,
        Dropout = 0.1,
        WindowLength = 300,
        WindowStride = 200,
        ReliabilityScaling = scaling,
        Fusion = fusion,
    };

    public static IDataView Videos(MLContext ml, int count, int seed, int minFrames = 150, int maxFrames = 700) =>
        SyntheticVideoFeatures.Create(ml, count, VisualSize, AudioSize, minFrames, maxFrames, seed);

    /// <summary>One row with the given sizes, for error cases.</summary>
    public static IDataView Row(MLContext ml, float[] visual, float[] audio, float[] valence, float[] arousal) =>
        ml.Data.LoadFromEnumerable([new VideoRow { VisualFeatures = visual, AudioFeatures = audio, Valence = valence, Arousal = arousal }]);

    public static VideoRow[] Rows(IDataView data, MLContext ml) =>
        ml.Data.CreateEnumerable<VideoRow>(data, reuseRowObject: false).ToArray();

    /// <summary>
    /// ML.NET keeps SchemaShape.Create(DataViewSchema) internal; tests reach it by reflection to check an
    /// estimator's promised schema. If ML.NET renames it, this throws and says so.
    /// </summary>
    public static SchemaShape ShapeOf(DataViewSchema schema)
    {
        var create = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])
            ?? throw new MissingMethodException("SchemaShape.Create(DataViewSchema) is gone from this ML.NET version");
        return (SchemaShape)create.Invoke(null, [schema])!;
    }

    public sealed class VideoRow
    {
        public string VideoId { get; set; } = "";

        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }

    public sealed class ScoredRow
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] PredictedArousal { get; set; } = [];

        public float[] Reliability { get; set; } = [];
    }
}

using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using Sage.MLNet.Export;
using Sage.MLNet.IO;
using Sage.MLNet.Modeling;
using TorchSharp;

namespace Sage.MLNet.Tests.Export;

/// <summary>The exported ONNX graph against <see cref="SageNetworkPredictor"/>, the TorchSharp reference.</summary>
[TestClass]
public sealed class SageOnnxExporterTests
{
    private const int VisualSize = 16;
    private const int AudioSize = 8;
    private const int WindowLength = 300;
    private const float Tolerance = 1e-5f;

    private static readonly SageOnnxNames Names = new(
        nameof(VideoFeatures.Visual),
        nameof(VideoFeatures.Audio),
        nameof(VideoScores.Valence),
        nameof(VideoScores.Arousal),
        nameof(VideoScores.Reliability));

    [TestMethod]
    [DataRow(SageReliabilityScaling.FrameCount)]
    [DataRow(SageReliabilityScaling.Literal)]
    public void Export_RandomWeights_MatchesTorchSharpWithin1e5(SageReliabilityScaling scaling)
    {
        using var network = CreateNetwork(scaling);
        var predictor = new SageNetworkPredictor(network, torch.CPU);
        using var session = new InferenceSession(SageOnnxExporter.Export(network, Names));

        // Shorter than a clip, one short of it, exactly one, one over (two clips overlapping on all but one
        // frame), and a long video with strided clips plus a last clip that overlaps the one before it.
        foreach (var frames in new[] { 1, 299, 300, 301, 1234 })
        {
            var (visual, audio) = RandomVideo(frames, seed: frames);
            var expected = predictor.Predict(visual, audio, frames);
            var actual = RunOnnx(session, visual, audio, frames);
            AssertClose(expected.Valence, actual.Valence, $"valence, T={frames}");
            AssertClose(expected.Arousal, actual.Arousal, $"arousal, T={frames}");
            AssertClose(expected.Reliability, actual.Reliability, $"reliability, T={frames}");
        }
    }

    [TestMethod]
    [DataRow(SageFusion.ModalityReliability, SageReliabilityScaling.FrameCount)]
    [DataRow(SageFusion.ModalityReliability, SageReliabilityScaling.Literal)]
    [DataRow(SageFusion.Concatenation, SageReliabilityScaling.FrameCount)]
    [DataRow(SageFusion.GatedMultimodalUnit, SageReliabilityScaling.FrameCount)]
    public void Export_EachFusion_MatchesTorchSharpWithin1e5(SageFusion fusion, SageReliabilityScaling scaling)
    {
        using var network = CreateNetwork(scaling, fusion);
        var predictor = new SageNetworkPredictor(network, torch.CPU);
        var bytes = SageOnnxExporter.Export(network, Names);
        using var session = new InferenceSession(bytes);
        var model = ModelProto.Parser.ParseFrom(bytes);
        var modalities = network.Config.HasModalityWeights;
        Assert.AreEqual(modalities ? 5 : 3, model.Graph.Output.Count, "outputs");

        foreach (var frames in new[] { 1, 299, 301, 1234 })
        {
            var (visual, audio) = RandomVideo(frames, seed: frames);
            var expected = predictor.Predict(visual, audio, frames);
            var actual = RunOnnx(session, visual, audio, frames, modalities);
            AssertClose(expected.Valence, actual.Valence, $"valence, T={frames}");
            AssertClose(expected.Arousal, actual.Arousal, $"arousal, T={frames}");
            AssertClose(expected.Reliability, actual.Reliability, $"reliability, T={frames}");
            if (modalities)
            {
                AssertClose(expected.VisualReliability, actual.VisualReliability, $"visual reliability, T={frames}");
                AssertClose(expected.AudioReliability, actual.AudioReliability, $"audio reliability, T={frames}");
            }
            else
            {
                Assert.IsTrue(actual.Reliability.All(r => r == 1f), $"concatenation weighs every frame 1, T={frames}");
            }
        }
    }

    [TestMethod]
    [DataRow(SageReliabilityScaling.FrameCount)]
    [DataRow(SageReliabilityScaling.Literal)]
    public void Export_SingleClipVideo_ReliabilityAveragesOne(SageReliabilityScaling scaling)
    {
        using var network = CreateNetwork(scaling);
        using var session = new InferenceSession(SageOnnxExporter.Export(network, Names));
        var (visual, audio) = RandomVideo(WindowLength, seed: 7);

        var reliability = RunOnnx(session, visual, audio, WindowLength).Reliability;

        // α sums to 1 over the clip and reliability is α·N, so its mean over the clip's N frames is 1.
        Assert.AreEqual(1.0, reliability.Average(), 1e-4);
        Assert.IsTrue(reliability.All(r => r > 0), "every real frame has a positive fusion weight");
    }

    [TestMethod]
    public void Export_SingleFrameVideo_ReliabilityIsOne()
    {
        using var network = CreateNetwork(SageReliabilityScaling.FrameCount);
        using var session = new InferenceSession(SageOnnxExporter.Export(network, Names));
        var (visual, audio) = RandomVideo(1, seed: 3);

        var prediction = RunOnnx(session, visual, audio, 1);

        // The only real frame of a padded clip takes all of α, and the clip has N = 1 frame.
        Assert.HasCount(1, prediction.Reliability);
        Assert.AreEqual(1f, prediction.Reliability[0], 1e-6f);
    }

    [TestMethod]
    public void Export_Model_DeclaresOpsetSymbolicFramesAndConfig()
    {
        using var network = CreateNetwork(SageReliabilityScaling.FrameCount);

        var model = ModelProto.Parser.ParseFrom(SageOnnxExporter.Export(network, Names));

        Assert.AreEqual(8L, model.IrVersion);
        Assert.AreEqual(17L, model.OpsetImport.Single(o => o.Domain.Length == 0).Version);
        Assert.AreEqual("Sage.MLNet", model.ProducerName);
        var config = JsonSerializer.Deserialize<SageNetworkConfig>(model.MetadataProps.Single(p => p.Key == "sage.config").Value);
        Assert.AreEqual(network.Config, config);
        var visualDims = model.Graph.Input.Single(i => i.Name == Names.VisualFeatures).Type.TensorType.Shape.Dim;
        var audioDims = model.Graph.Input.Single(i => i.Name == Names.AudioFeatures).Type.TensorType.Shape.Dim;
        Assert.AreEqual("T", visualDims[1].DimParam);
        Assert.AreEqual("Ta", audioDims[1].DimParam);
        Assert.AreEqual(3, model.Graph.Output.Count);
        Assert.AreEqual(model.Graph.Node.Count, model.Graph.Node.Select(n => n.Name).Distinct().Count(), "node names are unique");
        Console.WriteLine($"ONNX nodes: {model.Graph.Node.Count}, initializers: {model.Graph.Initializer.Count}");
    }

    [TestMethod]
    public void ApplyOnnxModel_TwoVideosOfDifferentLengths_MatchTorchSharp()
    {
        using var network = CreateNetwork(SageReliabilityScaling.FrameCount);
        var predictor = new SageNetworkPredictor(network, torch.CPU);
        var lengths = new[] { 301, 57 };
        var videos = lengths.Select(frames => RandomVideo(frames, seed: frames))
            .Select(video => new VideoFeatures { Visual = video.Visual, Audio = video.Audio })
            .ToArray();
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(videos, VariableLengthSchema());

        using var graphFile = TemporaryFile.Write("graph", ".onnx", SageOnnxExporter.Export(network, Names));
        using var transformer = mlContext.Transforms.ApplyOnnxModel(
                [Names.PredictedValence, Names.PredictedArousal, Names.Reliability],
                [Names.VisualFeatures, Names.AudioFeatures],
                graphFile.Path)
            .Fit(data);
        var scores = mlContext.Data.CreateEnumerable<VideoScores>(transformer.Transform(data), reuseRowObject: false).ToArray();

        Assert.HasCount(lengths.Length, scores);
        for (var i = 0; i < lengths.Length; i++)
        {
            var expected = predictor.Predict(videos[i].Visual, videos[i].Audio, lengths[i]);
            AssertClose(expected.Valence, scores[i].Valence, $"valence, video {i}");
            AssertClose(expected.Arousal, scores[i].Arousal, $"arousal, video {i}");
            AssertClose(expected.Reliability, scores[i].Reliability, $"reliability, video {i}");
        }
    }

    private static SageNetwork CreateNetwork(SageReliabilityScaling scaling, SageFusion fusion = SageFusion.ReliabilityGuided)
    {
        torch.manual_seed(20240611);
        var network = new SageNetwork(TestData.TinyNetworkConfig(VisualSize, AudioSize, scaling, fusion));
        network.eval();
        return network;
    }

    private static (float[] Visual, float[] Audio) RandomVideo(int frames, int seed)
    {
        var random = new Random(seed);
        float[] Features(int size) => [.. Enumerable.Range(0, frames * size).Select(_ => random.NextSingle() * 2 - 1)];
        return (Features(VisualSize), Features(AudioSize));
    }

    private static SagePrediction RunOnnx(InferenceSession session, float[] visual, float[] audio, int frames, bool modalities = false)
    {
        using var visualValue = OrtValue.CreateTensorValueFromMemory(visual, [1, frames, VisualSize]);
        using var audioValue = OrtValue.CreateTensorValueFromMemory(audio, [1, frames, AudioSize]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(
            runOptions,
            new Dictionary<string, OrtValue> { [Names.VisualFeatures] = visualValue, [Names.AudioFeatures] = audioValue },
            modalities
                ? [Names.PredictedValence, Names.PredictedArousal, Names.Reliability, Names.VisualReliability, Names.AudioReliability]
                : [Names.PredictedValence, Names.PredictedArousal, Names.Reliability]);
        foreach (var output in outputs)
        {
            CollectionAssert.AreEqual(new long[] { 1, frames }, output.GetTensorTypeAndShape().Shape);
        }
        var values = outputs.Select(output => output.GetTensorDataAsSpan<float>().ToArray()).ToArray();
        return modalities
            ? new SagePrediction(values[0], values[1], values[2], values[3], values[4])
            : new SagePrediction(values[0], values[1], values[2], values[2], values[2]);
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.IsLessThanOrEqualTo(Tolerance, worst, $"{what}: largest difference {worst:E2}");
    }

    /// <summary>Vector columns of any length, one row per video, as ML.NET's OnnxTransformer expects for symbolic dims.</summary>
    private static SchemaDefinition VariableLengthSchema()
    {
        var schema = SchemaDefinition.Create(typeof(VideoFeatures));
        schema[nameof(VideoFeatures.Visual)].ColumnType = new VectorDataViewType(NumberDataViewType.Single);
        schema[nameof(VideoFeatures.Audio)].ColumnType = new VectorDataViewType(NumberDataViewType.Single);
        return schema;
    }

    public sealed class VideoFeatures
    {
        [VectorType]
        public float[] Visual { get; set; } = [];

        [VectorType]
        public float[] Audio { get; set; } = [];
    }

    public sealed class VideoScores
    {
        [VectorType]
        public float[] Valence { get; set; } = [];

        [VectorType]
        public float[] Arousal { get; set; } = [];

        [VectorType]
        public float[] Reliability { get; set; } = [];
    }
}

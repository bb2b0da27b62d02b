using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;
using Sage.MLNet.Export;
using Sage.MLNet.IO;
using Sage.MLNet.Modeling;
using TorchSharp;

namespace Sage.MLNet.Tests.Export;

/// <summary>Scoring a long video a few clips at a time gives what one run of the graph over the whole video gives.</summary>
[TestClass]
public sealed class SageWindowedScorerTests
{
    private const int VisualSize = 16;
    private const int AudioSize = 8;
    private const float Tolerance = 1e-5f;

    private static readonly SageOnnxNames Names = new("Visual", "Audio", "Valence", "Arousal", "Reliability");

    [TestMethod]
    public void Ranges_3000Frames8ClipsAWindow_TwoWindowsEndingOnTheirLastClip()
    {
        var windows = new SageScoringWindows(300, 200, VisualSize, AudioSize);

        // Clips start at 0, 200, ..., 2600 and 2700: the first eight make [0, 1700), the last seven [1600, 3000).
        CollectionAssert.AreEqual(new[] { (0, 1700), (1600, 3000) }, windows.Ranges(3000).ToArray());
        CollectionAssert.AreEqual(new[] { (0, 1500) }, windows.Ranges(1500).ToArray(), "a 1-minute video is one run");
        CollectionAssert.AreEqual(new[] { (0, 120) }, windows.Ranges(120).ToArray(), "shorter than a clip");
    }

    [TestMethod]
    public void Ranges_AnyLength_EachWindowsOwnPlanIsItsShareOfTheWholePlan()
    {
        var windows = new SageScoringWindows(300, 200, VisualSize, AudioSize, ClipsPerWindow: 3);
        for (var frames = 300; frames < 4000; frames += 37)
        {
            var whole = ClipPlan.Starts(frames, 300, 200);
            var pieces = windows.Ranges(frames)
                .SelectMany(range => ClipPlan.Starts(range.End - range.Start, 300, 200).Select(start => start + range.Start))
                .ToArray();

            CollectionAssert.AreEqual(whole, pieces, $"T = {frames}");
            Assert.IsTrue(windows.Ranges(frames).All(range => range.End <= frames), $"T = {frames}: a window past the end");
        }
    }

    [TestMethod]
    [DataRow(SageFusion.ReliabilityGuided, false)]
    [DataRow(SageFusion.ModalityReliability, false)]
    [DataRow(SageFusion.ReliabilityGuided, true)]
    [DataRow(SageFusion.ModalityReliability, true)]
    public void Transform_VideosLongerThanAWindow_MatchOneRunAndTorchSharpWithin1e5(SageFusion fusion, bool ownSession)
    {
        torch.manual_seed(20240611);
        using var network = new SageNetwork(TestData.TinyNetworkConfig(VisualSize, AudioSize, fusion: fusion));
        network.eval();
        var predictor = new SageNetworkPredictor(network, torch.CPU);
        var outputs = Names.Outputs(network.Config);
        var ml = new MLContext(seed: 1);
        var lengths = new[] { 1234, 57, 2001 };
        var random = new Random(7);
        float[] Features(int values) => [.. Enumerable.Range(0, values).Select(_ => random.NextSingle() * 2 - 1)];
        var videos = lengths.Select(t => new Video { Visual = Features(t * VisualSize), Audio = Features(t * AudioSize) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(videos, VariableLengthSchema());
        var graph = SageOnnxExporter.Export(network, Names);
        using var graphFile = TemporaryFile.Write("graph", ".onnx", graph);
        var onnx = ml.Transforms.ApplyOnnxModel(outputs, [Names.VisualFeatures, Names.AudioFeatures], graphFile.Path).Fit(data);
        var windows = new SageScoringWindows(300, 200, VisualSize, AudioSize, ClipsPerWindow: 2);
        using var windowed = new SageWindowedScorer(onnx, windows, Names.VisualFeatures, Names.AudioFeatures, outputs, ownSession ? graph : null);

        var oneRun = Read(onnx.Transform(data), outputs);
        var inWindows = Read(windowed.Transform(data), outputs);

        Assert.HasCount(3, windows.Ranges(1234), "1,234 frames are 6 clips: 3 windows of 2");
        Assert.HasCount(5, windows.Ranges(2001), "2,001 frames are 10 clips: 5 windows of 2");
        Assert.AreEqual(ownSession, windowed.HasOwnSession);
        for (var video = 0; video < lengths.Length; video++)
        {
            var expected = predictor.Predict(videos[video].Visual, videos[video].Audio, lengths[video]);
            var reference = new[] { expected.Valence, expected.Arousal, expected.Reliability, expected.VisualReliability, expected.AudioReliability };
            for (var k = 0; k < outputs.Length; k++)
            {
                Assert.HasCount(lengths[video], inWindows[video][k], $"{outputs[k]}, video {video}");
                AssertClose(oneRun[video][k], inWindows[video][k], $"{outputs[k]} against one run, video {video}");
                AssertClose(reference[k], inWindows[video][k], $"{outputs[k]} against TorchSharp, video {video}");
            }
        }
    }

    /// <summary>Returns each row's output columns, in order.</summary>
    private static float[][][] Read(IDataView scored, string[] outputs)
    {
        var columns = outputs.Select(name => scored.Schema[name]).ToArray();
        using var cursor = scored.GetRowCursor(columns);
        var getters = columns.Select(cursor.GetGetter<VBuffer<float>>).ToArray();
        var rows = new List<float[][]>();
        while (cursor.MoveNext())
        {
            rows.Add([.. getters.Select(getter =>
            {
                VBuffer<float> value = default;
                getter(ref value);
                return value.DenseValues().ToArray();
            })]);
        }
        return [.. rows];
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.IsLessThanOrEqualTo(Tolerance, worst, $"{what}: largest difference {worst:E2}");
    }

    private static SchemaDefinition VariableLengthSchema()
    {
        var schema = SchemaDefinition.Create(typeof(Video));
        schema[nameof(Video.Visual)].ColumnType = new VectorDataViewType(NumberDataViewType.Single);
        schema[nameof(Video.Audio)].ColumnType = new VectorDataViewType(NumberDataViewType.Single);
        return schema;
    }

    public sealed class Video
    {
        [VectorType]
        public float[] Visual { get; set; } = [];

        [VectorType]
        public float[] Audio { get; set; } = [];
    }
}

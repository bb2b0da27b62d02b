using Microsoft.ML.OnnxRuntime;
using Onnx;
using Sage.MLNet.Export;
using Sage.MLNet.Modeling;
using TorchSharp;

namespace Sage.MLNet.Tests.Export;

/// <summary>Several networks exported as one weighted ONNX graph, against each network exported alone.</summary>
[TestClass]
public sealed class SageOnnxCombinationTests
{
    private const int VisualSize = 16;
    private const int AudioSize = 8;
    private const float Tolerance = 1e-5f;
    private static readonly SageOnnxNames Names = new("Visual", "Audio", "Valence", "Arousal", "Reliability");
    private static readonly int[] s_frames = [1, 299, 301, 1234];

    [TestMethod]
    public void Export_TargetWiseWeights_ValenceAndArousalOfTheChosenNetworksWithin1e5()
    {
        using var first = CreateNetwork(seed: 1);
        using var second = CreateNetwork(seed: 2);
        using var third = CreateNetwork(seed: 3);
        // Valence from the first network, arousal from the third; the second is not used.
        var combined = SageOnnxExporter.Export(
            [new SageOnnxMember(first, 1, 0), new SageOnnxMember(second, 0, 0), new SageOnnxMember(third, 0, 1)], Names);

        foreach (var frames in s_frames)
        {
            var (visual, audio) = RandomVideo(frames, seed: frames);
            var valenceNetwork = Run(SageOnnxExporter.Export(first, Names), visual, audio, frames);
            var arousalNetwork = Run(SageOnnxExporter.Export(third, Names), visual, audio, frames);
            var actual = Run(combined, visual, audio, frames);

            AssertClose(valenceNetwork.Valence, actual.Valence, $"valence, T={frames}");
            AssertClose(arousalNetwork.Arousal, actual.Arousal, $"arousal, T={frames}");
            AssertClose(Mean(valenceNetwork.Reliability, arousalNetwork.Reliability), actual.Reliability, $"reliability, T={frames}");
        }
    }

    [TestMethod]
    public void Export_EqualWeights_MeanOfTheNetworksWithin1e5()
    {
        using var first = CreateNetwork(seed: 1);
        using var second = CreateNetwork(seed: 2);
        using var third = CreateNetwork(seed: 3);
        var combined = SageOnnxExporter.Export([.. new[] { first, second, third }.Select(n => new SageOnnxMember(n, 1f / 3, 1f / 3))], Names);

        foreach (var frames in s_frames)
        {
            var (visual, audio) = RandomVideo(frames, seed: frames);
            var alone = new[] { first, second, third }.Select(n => Run(SageOnnxExporter.Export(n, Names), visual, audio, frames)).ToArray();
            var actual = Run(combined, visual, audio, frames);

            AssertClose(Mean([.. alone.Select(p => p.Valence)]), actual.Valence, $"valence, T={frames}");
            AssertClose(Mean([.. alone.Select(p => p.Arousal)]), actual.Arousal, $"arousal, T={frames}");
            AssertClose(Mean([.. alone.Select(p => p.Reliability)]), actual.Reliability, $"reliability, T={frames}");
        }
    }

    [TestMethod]
    public void Export_Combination_CutsClipsOnceAndRecordsTheWeights()
    {
        using var first = CreateNetwork(seed: 1);
        using var second = CreateNetwork(seed: 2);

        var single = ModelProto.Parser.ParseFrom(SageOnnxExporter.Export(first, Names));
        var pair = ModelProto.Parser.ParseFrom(SageOnnxExporter.Export([new SageOnnxMember(first, 1, 0), new SageOnnxMember(second, 0, 1)], Names));

        Assert.AreEqual(1, single.Graph.Node.Count(n => n.OpType == "Range" && n.Input.Contains(Int64ScalarName(single, 200))), "one clip-start Range");
        Assert.AreEqual(1, pair.Graph.Node.Count(n => n.OpType == "Range" && n.Input.Contains(Int64ScalarName(pair, 200))), "the pair shares the clip starts");
        Assert.AreEqual("[[1,0],[0,1]]", pair.MetadataProps.Single(p => p.Key == "sage.members").Value);
        Assert.AreEqual("[[1,1]]", single.MetadataProps.Single(p => p.Key == "sage.members").Value);
    }

    [TestMethod]
    public void Export_NoNetworkWeighted_ThrowsArgumentException()
    {
        using var network = CreateNetwork(seed: 1);

        Assert.ThrowsExactly<ArgumentException>(() => SageOnnxExporter.Export([new SageOnnxMember(network, 0, 0)], Names));
    }

    private static SageNetwork CreateNetwork(int seed)
    {
        torch.manual_seed(seed);
        var network = new SageNetwork(TestData.TinyNetworkConfig(VisualSize, AudioSize));
        network.eval();
        return network;
    }

    /// <summary>The name of the int64 scalar initializer holding <paramref name="value"/> (the clip stride, for instance).</summary>
    private static string Int64ScalarName(ModelProto model, long value) =>
        model.Graph.Initializer.Single(i => i.Dims.Count == 0 && i.DataType == (int)TensorProto.Types.DataType.Int64 && i.Int64Data[0] == value).Name;

    private static (float[] Visual, float[] Audio) RandomVideo(int frames, int seed)
    {
        var random = new Random(seed);
        float[] Features(int size) => [.. Enumerable.Range(0, frames * size).Select(_ => random.NextSingle() * 2 - 1)];
        return (Features(VisualSize), Features(AudioSize));
    }

    private static SagePrediction Run(byte[] model, float[] visual, float[] audio, int frames)
    {
        using var session = new InferenceSession(model);
        using var visualValue = OrtValue.CreateTensorValueFromMemory(visual, [1, frames, VisualSize]);
        using var audioValue = OrtValue.CreateTensorValueFromMemory(audio, [1, frames, AudioSize]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(
            runOptions,
            new Dictionary<string, OrtValue> { [Names.VisualFeatures] = visualValue, [Names.AudioFeatures] = audioValue },
            [Names.PredictedValence, Names.PredictedArousal, Names.Reliability]);
        var values = outputs.Select(output => output.GetTensorDataAsSpan<float>().ToArray()).ToArray();
        return new SagePrediction(values[0], values[1], values[2], values[2], values[2]);
    }

    private static float[] Mean(params float[][] series) =>
        [.. Enumerable.Range(0, series[0].Length).Select(t => series.Average(s => s[t]))];

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.IsLessThanOrEqualTo(Tolerance, worst, $"{what}: largest difference {worst:E2}");
    }
}

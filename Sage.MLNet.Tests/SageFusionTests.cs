using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Tests;

/// <summary>Every <see cref="SageFusion"/> variant through the public surface: trains, promises its columns, saves, loads, checkpoints.</summary>
[TestClass]
public sealed class SageFusionTests
{
    [TestMethod]
    [DataRow(SageFusion.ModalityReliability)]
    [DataRow(SageFusion.Concatenation)]
    [DataRow(SageFusion.GatedMultimodalUnit)]
    public void Fit_EachFusion_PromisedColumnsDeliveredAndSavedModelPredictsIdentically(SageFusion fusion)
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.Videos(ml, 4, seed: 1);
        var test = TestData.Videos(ml, 2, seed: 2, minFrames: 40, maxFrames: 450);
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.Fusion = fusion;
        var zip = Path.Combine(Path.GetTempPath(), $"sage-{Guid.NewGuid():N}.zip");
        var checkpoint = Path.ChangeExtension(zip, ".ckpt");
        try
        {
            using var model = ml.Transforms.Sage(options).Fit(train);
            var promised = ml.Transforms.Sage(options).GetOutputSchema(TestData.ShapeOf(test.Schema));
            var scored = model.Transform(test);
            CollectionAssert.AreEqual(
                promised.Select(c => (c.Name, c.Kind, c.ItemType)).ToArray(),
                TestData.ShapeOf(scored.Schema).Select(c => (c.Name, c.Kind, c.ItemType)).ToArray());
            var perModality = fusion != SageFusion.Concatenation;
            Assert.AreEqual(perModality, scored.Schema.GetColumnOrNull("VisualReliability") is not null, "VisualReliability column");
            Assert.AreEqual(perModality, scored.Schema.GetColumnOrNull("AudioReliability") is not null, "AudioReliability column");

            ml.Model.Save(model, train.Schema, zip);
            var loaded = SageModel.Load(new MLContext(), zip, out _);
            var before = Weights(ml, scored, perModality);
            var after = Weights(ml, loaded.Transform(test), perModality);
            (loaded as IDisposable)?.Dispose();
            for (var i = 0; i < before.Length; i++)
            {
                CollectionAssert.AreEqual(before[i].PredictedValence, after[i].PredictedValence, $"valence, video {i}");
                CollectionAssert.AreEqual(before[i].Reliability, after[i].Reliability, $"reliability, video {i}");
                CollectionAssert.AreEqual(before[i].VisualReliability, after[i].VisualReliability, $"visual reliability, video {i}");
                CollectionAssert.AreEqual(before[i].AudioReliability, after[i].AudioReliability, $"audio reliability, video {i}");
                switch (fusion)
                {
                    case SageFusion.Concatenation:
                        Assert.IsTrue(before[i].Reliability.All(r => r == 1f), "concatenation: reliability 1");
                        break;
                    case SageFusion.GatedMultimodalUnit:
                        Assert.IsTrue(before[i].VisualReliability.Zip(before[i].AudioReliability, (v, a) => Math.Abs(v + a - 2)).Max() < 1e-5, "GMU weights sum to 2");
                        break;
                    default:
                        Assert.IsTrue(before[i].VisualReliability.Concat(before[i].AudioReliability).All(r => r > 0), "softmax weights are positive");
                        break;
                }
            }

            model.SaveCheckpoint(checkpoint);
            using (var archive = ZipFile.OpenRead(checkpoint))
            using (var reader = new StreamReader(archive.GetEntry("config.json")!.Open()))
            {
                StringAssert.Contains(reader.ReadToEnd(), $"\"Fusion\": \"{fusion}\"");
            }
            var otherVariant = TestData.SmallOptions(maxEpochs: 1);
            otherVariant.InitialCheckpoint = checkpoint;
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Transforms.Sage(otherVariant).Fit(train));
            StringAssert.Contains(error.Message, fusion.ToString());
        }
        finally
        {
            File.Delete(zip);
            File.Delete(checkpoint);
        }
    }

    [TestMethod]
    public void Sage_UndefinedFusion_ThrowsNamingOption()
    {
        var options = TestData.SmallOptions();
        options.Fusion = (SageFusion)42;
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().Transforms.Sage(options));
        Assert.AreEqual(nameof(SageOptions.Fusion), error.ParamName);
    }

    private static FusionRow[] Weights(MLContext ml, IDataView scored, bool perModality)
    {
        if (perModality)
        {
            return ml.Data.CreateEnumerable<FusionRow>(scored, reuseRowObject: false).ToArray();
        }
        return [.. ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false)
            .Select(r => new FusionRow { PredictedValence = r.PredictedValence, Reliability = r.Reliability })];
    }

    public sealed class FusionRow
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] Reliability { get; set; } = [];

        public float[] VisualReliability { get; set; } = [];

        public float[] AudioReliability { get; set; } = [];
    }
}

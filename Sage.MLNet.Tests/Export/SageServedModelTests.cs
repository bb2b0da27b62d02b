using Microsoft.ML;

namespace Sage.MLNet.Tests.Export;

/// <summary>A fitted model's graph file lives exactly as long as the model.</summary>
[TestClass]
public sealed class SageServedModelTests
{
    [TestMethod]
    [DoNotParallelize]
    public void Dispose_FittedModel_DeletesTheGraphFileThatSavingRead()
    {
        var ml = new MLContext(seed: 1);
        var (train, test) = (TestData.Videos(ml, 2, seed: 1, maxFrames: 300), TestData.Videos(ml, 1, seed: 2, maxFrames: 300));
        var before = GraphFiles();

        var model = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 1)).Fit(train);
        var created = GraphFiles().Except(before).ToArray();
        var zip = Path.Combine(Path.GetTempPath(), $"sage-{Guid.NewGuid():N}.zip");
        try
        {
            Assert.HasCount(1, created, "one graph file for the fitted model");
            ml.Model.Save(model, train.Schema, zip);               // OnnxTransformer copies the graph file into the zip
            var loaded = SageModel.Load(new MLContext(), zip, out _);
            var expected = Scores(ml, model.Transform(test));
            var actual = Scores(ml, loaded.Transform(test));
            (loaded as IDisposable)?.Dispose();
            CollectionAssert.AreEqual(expected.PredictedValence, actual.PredictedValence, "the saved graph is the fitted one");
            Assert.IsTrue(File.Exists(created[0]), "the graph file is kept while the model lives");

            model.Dispose();

            Assert.IsFalse(File.Exists(created[0]), $"{created[0]} is left after Dispose");
        }
        finally
        {
            model.Dispose();
            File.Delete(zip);
        }
    }

    private static HashSet<string> GraphFiles() => [.. Directory.GetFiles(Path.GetTempPath(), "sage-graph-*.onnx")];

    private static TestData.ScoredRow Scores(MLContext ml, IDataView scored) =>
        ml.Data.CreateEnumerable<TestData.ScoredRow>(scored, reuseRowObject: false).Single();
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;

namespace Sage.MLNet.Tests;

/// <summary>A saved model predicts the same in a process that references only ML.NET and its ONNX transformer.</summary>
[TestClass]
public sealed class ServingProcessTests
{
    [TestMethod]
    public void Load_InProcessWithoutSageMLNet_PredictsIdentically()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.Videos(ml, 4, seed: 1);
        var test = TestData.Videos(ml, 2, seed: 5, minFrames: 120, maxFrames: 640);
        using var model = ml.Transforms.Sage(TestData.SmallOptions(maxEpochs: 1)).Fit(train);
        var expected = ml.Data.CreateEnumerable<TestData.ScoredRow>(model.Transform(test), reuseRowObject: false).ToArray();

        var folder = Directory.CreateTempSubdirectory("sage-serving-").FullName;
        try
        {
            var modelPath = Path.Combine(folder, "sage.zip");
            var videosPath = Path.Combine(folder, "videos.json");
            ml.Model.Save(model, train.Schema, modelPath);
            var inputs = TestData.Rows(test, ml).Select(r => new { r.VisualFeatures, r.AudioFeatures });
            File.WriteAllText(videosPath, JsonSerializer.Serialize(inputs));

            var output = RunServing(modelPath, videosPath);
            var actual = JsonSerializer.Deserialize<TestData.ScoredRow[]>(output)!;

            Assert.AreEqual(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                CollectionAssert.AreEqual(expected[i].PredictedValence, actual[i].PredictedValence);
                CollectionAssert.AreEqual(expected[i].PredictedArousal, actual[i].PredictedArousal);
                CollectionAssert.AreEqual(expected[i].Reliability, actual[i].Reliability);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string RunServing(string modelPath, string videosPath)
    {
        // The serving program builds beside this test assembly's configuration: .../Serving/bin/<config>/<tfm>/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var repository = testOutput.Parent!.Parent!.Parent!.Parent!.FullName;
        var servingDll = Path.Combine(repository, "Sage.MLNet.Samples", "Serving", "bin",
            testOutput.Parent.Name, testOutput.Name, "Sage.MLNet.Samples.Serving.dll");
        Assert.IsTrue(File.Exists(servingDll), $"serving program not built at {servingDll}");
        Assert.IsFalse(File.Exists(Path.Combine(Path.GetDirectoryName(servingDll)!, "Sage.MLNet.dll")), "the serving program must not ship Sage.MLNet");
        Assert.IsFalse(File.Exists(Path.Combine(Path.GetDirectoryName(servingDll)!, "TorchSharp.dll")), "the serving program must not ship TorchSharp");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { servingDll, modelPath, videosPath })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, stderr);
        return stdout.Result;
    }
}

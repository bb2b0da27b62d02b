using Microsoft.ML;

namespace Sage.MLNet.Tests.Samples;

/// <summary>The demo command end to end on a very small copy: every file it promises, and a reloaded model that predicts like the trained one.</summary>
[TestClass]
public sealed class SampleDemoTests
{
    [TestMethod]
    public void Demo_TinyCopyOneEpoch_WritesMetricsModelPredictionsAndPlots()
    {
        var output = Directory.CreateTempSubdirectory("sage-demo-").FullName;
        try
        {
            var run = SampleProgram.RunSucceeding("demo", "--out", output, "--train-videos", "2", "--seconds", "4", "--epochs", "1");

            var metrics = SampleProgram.ReadMetrics(output);
            Assert.AreEqual("test", metrics.GetProperty("split").GetString());
            Assert.AreEqual(3, metrics.GetProperty("videos").GetArrayLength());
            Assert.AreEqual(0, metrics.GetProperty("reloaded_max_abs_difference").GetDouble(), 1e-5);
            Assert.IsTrue(File.Exists(Path.Combine(output, "sage.zip")));
            Assert.IsTrue(File.Exists(Path.Combine(output, "sage.ckpt")));
            using (var live = SageModel.OpenLive(new MLContext(), Path.Combine(output, "sage.zip")))
            {
                // Saved now, the graph names its TCNs' output, so live scoring keeps each frame's TCN output (the fast path).
                Assert.IsTrue(live.PerFrameTcn, "the demo's model has no 'sage.tcn_output': live scoring would rerun the whole network on each window");
            }
            var csv = Directory.GetFiles(output, "predictions-*.csv").Single();
            Assert.HasCount(100 + 1, File.ReadAllLines(csv));
            Assert.HasCount(5, Directory.GetFiles(Path.Combine(output, "plots"), "*.png"));     // curves, scatter, three videos
            foreach (var plot in Directory.GetFiles(Path.Combine(output, "plots")))
            {
                SampleProgram.AssertPlot(plot);
            }
            StringAssert.Contains(run.Output, "Demo done in");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}

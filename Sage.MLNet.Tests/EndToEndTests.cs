using Microsoft.ML;
using Microsoft.ML.Data;

using Sage.MLNet.Synthetic;
using Sage.MLNet.Tests.Media;

namespace Sage.MLNet.Tests;

/// <summary>
/// The whole path on a synthetic Aff-Wild2 written to disk: read the copy, featurise faces and audio,
/// train SAGE, and score held-out videos the ABAW way.
/// </summary>
[TestClass]
public sealed class EndToEndTests
{
    [TestMethod]
    public void SyntheticAffWild2_FeaturisedAndTrained_PredictsHeldOutVideosWellAboveChance()
    {
        var root = Path.Combine(Path.GetTempPath(), $"sage-e2e-{Guid.NewGuid():N}");
        try
        {
            SyntheticAffWild2.Generate(Path.Combine(root, "copy"), new SyntheticAffWild2Options
            {
                TrainVideos = 6,
                ValidationVideos = 2,
                TestVideos = 1,
                SecondsPerVideo = 8,
            });
            var ml = new MLContext(seed: 1);
            var train = ml.Data.LoadAffWild2(Path.Combine(root, "copy"), AffWild2Split.Train);
            var validation = ml.Data.LoadAffWild2(Path.Combine(root, "copy"), AffWild2Split.Validation);
            var featurizer = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions { CacheFolder = Path.Combine(root, "cache") })
                .Append(ml.Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions { CacheFolder = Path.Combine(root, "cache") }))
                .Fit(train);
            var trainFeatures = featurizer.Transform(train);
            var validationFeatures = featurizer.Transform(validation);

            var options = TestData.SmallOptions(maxEpochs: 25);
            options.VisualFeatureSize = 512;
            options.AudioFeatureSize = 128;
            options.ValidationData = validationFeatures;
            options.EarlyStoppingPatience = 0;
            using var model = ml.Transforms.Sage(options).Fit(trainFeatures);

            var metrics = ml.Regression.EvaluateCcc(model.Transform(validationFeatures));
            Console.WriteLine($"End to end on synthetic Aff-Wild2: {metrics}");
            Assert.AreEqual(2 * 200 - CountMinusFive(ml, validation), metrics.FrameCount);
            Assert.IsGreaterThan(0.3, metrics.Mean);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static int CountMinusFive(MLContext ml, IDataView data) =>
        data.GetColumn<float[]>("Valence").Zip(data.GetColumn<float[]>("Arousal"))
            .Sum(video => video.First.Zip(video.Second).Count(frame => !SageLabels.IsAnnotated(frame.First, frame.Second)));
}

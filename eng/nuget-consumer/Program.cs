// A fresh application that knows Sage.MLNet only as a NuGet package: it opens the packaged face detectors, featurises a tiny synthetic Aff-Wild2 with the
// default encoders, trains SAGE, saves the model with its featurizers, loads it back and checks that the loaded model
// predicts exactly what the trained one did. Exit code 0 means the package works for a consumer.
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Synthetic;
using Sage.MLNet;

var root = args.Length > 0 ? args[0] : Directory.CreateTempSubdirectory("sage-consumer-").FullName;
var copy = Path.Combine(root, "copy");
SyntheticAffWild2.Generate(copy, new SyntheticAffWild2Options { TrainVideos = 3, ValidationVideos = 1, TestVideos = 1, SecondsPerVideo = 3 });

var ml = new MLContext(seed: 1);
var train = ml.Data.LoadAffWild2(copy, AffWild2Split.Train);
var validation = ml.Data.LoadAffWild2(copy, AffWild2Split.Validation);

// The BlazeFace detectors ship inside the package: building the face extractor opens each one in ONNX Runtime
// (it throws naming the missing file if the package did not bring it next to the app).
foreach (var detector in Enum.GetValues<SageFaceDetectorModel>())
{
    using var extractor = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions { DetectorModel = detector }).Fit(train);
    Console.WriteLine($"packaged face detector {detector} loaded");
}
using var faces = ml.Transforms.FeaturizeFaces().Fit(train);
using var audio = ml.Transforms.FeaturizeAudio().Fit(train);
var features = audio.Transform(faces.Transform(train));
using var model = ml.Transforms.Sage(new SageOptions
{
    VisualFeatureSize = faces.FeatureSize,
    AudioFeatureSize = audio.FeatureSize,
    TcnChannels = 16,
    TransformerLayers = 1,
    FeedForwardSize = 32,
    HeadHiddenSize = 16,
    MaxEpochs = 2,
}).Fit(features);

var validationFeatures = audio.Transform(faces.Transform(validation));
var metrics = ml.Regression.EvaluateCcc(model.Transform(validationFeatures));
Console.WriteLine($"trained: {metrics}");

var path = Path.Combine(root, "model.zip");
SageModel.Save(ml, model, train.Schema, path, faces, audio);
using var loaded = SageModel.LoadWithFeaturizers(new MLContext(seed: 1), path, out _);
var expected = model.Transform(validationFeatures).GetColumn<float[]>("PredictedValence").SelectMany(v => v).ToArray();
var actual = loaded.Transform(validation).GetColumn<float[]>("PredictedValence").SelectMany(v => v).ToArray();
if (expected.Length == 0 || !expected.SequenceEqual(actual) || !double.IsFinite(metrics.Mean))
{
    Console.Error.WriteLine($"FAILED: {expected.Length} predictions in memory, {actual.Length} after loading; equal: {expected.SequenceEqual(actual)}; mean CCC {metrics.Mean}");
    return 1;
}
Console.WriteLine($"loaded from {path}: {actual.Length} frames predicted identically");
return 0;

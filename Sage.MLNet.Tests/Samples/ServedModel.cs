using Microsoft.ML;
using Sage.MLNet.Synthetic;
using Sage.MLNet.Tests.Featurization.Faces;

namespace Sage.MLNet.Tests.Samples;

/// <summary>A tiny model saved with its featurizers, as <c>predict</c> and <c>serve</c> load it: trained for one epoch on a synthetic copy, with a pooling face encoder that runs in microseconds, and the default face extraction.</summary>
internal static class ServedModel
{
    /// <summary>Gets the name of the same model saved without face extraction, beside the one <see cref="Make"/> returns: it reads given crops only.</summary>
    public const string CropsOnlyName = "sage-crops.zip";

    /// <summary>Writes the model zip (and its encoder, and the same model as <see cref="CropsOnlyName"/>) into <paramref name="folder"/> and returns the zip's path.</summary>
    public static string Make(string folder)
    {
        var copy = Path.Combine(folder, "copy");
        SyntheticAffWild2.Generate(copy, new SyntheticAffWild2Options { TrainVideos = 2, ValidationVideos = 1, TestVideos = 1, SecondsPerVideo = 3 });
        var encoder = Path.Combine(folder, "gap.onnx");
        GlobalAveragePoolEncoder.Write(encoder);
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadAffWild2(copy, AffWild2Split.Train);
        using var faces = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions
        {
            EncoderModelPath = encoder,
            EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
            ImageWidth = 32,
            ImageHeight = 32,
        }).Fit(train);
        using var audio = ml.Transforms.FeaturizeAudio().Fit(train);
        var options = TestData.SmallOptions(maxEpochs: 1);
        options.VisualFeatureSize = faces.FeatureSize;
        options.AudioFeatureSize = audio.FeatureSize;
        using var model = ml.Transforms.Sage(options).Fit(audio.Transform(faces.Transform(train)));
        // Saved with the default face extraction, as train saves it, so the model scores a video nobody cropped.
        using var extraction = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions()).Fit(train);
        var path = Path.Combine(folder, "sage.zip");
        SageModel.Save(ml, model, train.Schema, path, faces, audio, extraction);
        SageModel.Save(ml, model, train.Schema, Path.Combine(folder, CropsOnlyName), faces, audio);
        return path;
    }
}

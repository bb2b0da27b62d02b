using Microsoft.ML;
using Sage.MLNet.Tests.Featurization.Faces;
using Sage.MLNet.Tests.Featurization.Faces.Extraction;

namespace Sage.MLNet.Tests.Live;

/// <summary>
/// A small model for the live tests: 50-frame clips, trained on features made from raw videos (ExtractFaces → FeaturizeFaces
/// with a global-average-pool encoder → log-mel with 16 bands) and saved with all three, so it scores raw frames.
/// </summary>
internal static class LiveTestModel
{
    public const int Window = 50;

    /// <summary>Trains on <paramref name="videos"/> (the first 200 frames long, the others 75) and saves the model as <c>live.zip</c> in their folder.</summary>
    public static string Train(FaceVideos folder, IReadOnlyList<string> videos)
    {
        var encoder = Path.Combine(folder.Folder, "gap.onnx");
        GlobalAveragePoolEncoder.Write(encoder);
        var ml = new MLContext(seed: 1);
        float[] Labels(int frames, double period) => [.. Enumerable.Range(0, frames).Select(t => (float)(0.8 * Math.Sin(2 * Math.PI * t / period)))];
        var rows = ml.Data.LoadFromEnumerable(videos.Select((file, i) =>
        {
            var frames = i == 0 ? 200 : 75;
            return new LabelledVideo { VideoFile = file, Valence = Labels(frames, 60 + 10 * i), Arousal = Labels(frames, 45 + 7 * i) };
        }).ToArray());
        using var extraction = ml.Transforms.ExtractFaces(new SageFaceExtractionOptions { CacheFolder = Path.Combine(folder.Folder, "crops"), NoFace = SageNoFacePolicy.Empty }).Fit(rows);
        using var faces = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions
        {
            EncoderModelPath = encoder,
            EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
            ImageWidth = 32,
            ImageHeight = 32,
        }).Fit(extraction.Transform(rows));
        using var audio = ml.Transforms.FeaturizeAudio(new SageAudioFeaturizerOptions { MelBands = 16 }).Fit(extraction.Transform(rows));
        var features = ml.Data.Cache(audio.Transform(faces.Transform(extraction.Transform(rows))));
        var options = TestData.SmallOptions(maxEpochs: 3);
        options.VisualFeatureSize = faces.FeatureSize;
        options.AudioFeatureSize = audio.FeatureSize;
        options.WindowLength = Window;
        options.WindowStride = Window / 2;
        using var model = ml.Transforms.Sage(options).Fit(features);
        var path = Path.Combine(folder.Folder, "live.zip");
        SageModel.Save(ml, model, rows.Schema, path, faces, audio, extraction);
        return path;
    }

    private sealed class LabelledVideo
    {
        public string VideoFile { get; set; } = "";

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

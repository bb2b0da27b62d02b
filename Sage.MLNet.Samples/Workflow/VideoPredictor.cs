using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>
/// A saved model loaded once with its featurizers, predicting whole videos frame by frame: the one route that both
/// <c>predict</c> and <c>serve</c> take, so the two give identical numbers for the same file.
/// </summary>
/// <remarks>Safe to call from several threads at once: each call reads its row through a context of its own.</remarks>
internal sealed class VideoPredictor : IDisposable
{
    private readonly TransformerChain<ITransformer> _model;
    private readonly string _modelName;

    /// <summary>Loads the model zip at <paramref name="modelFile"/> with the featurizers saved in it.</summary>
    public VideoPredictor(string modelFile)
    {
        _modelName = Path.GetFileName(modelFile);
        _model = SageModel.LoadWithFeaturizers(new MLContext(seed: 1), modelFile, out var inputSchema);
        ReadsCrops = inputSchema.GetColumnOrNull("FaceFolder") is not null;
    }

    /// <summary>Gets whether the model's rows name a face-crop folder (it was saved without face extraction).</summary>
    public bool ReadsCrops { get; }

    /// <summary>Returns every frame of <paramref name="videoFile"/> predicted, from the crops in <paramref name="faceFolder"/>.</summary>
    /// <param name="videoFile">The video (its audio track and frame times are used).</param>
    /// <param name="videoName">What errors and titles call the video.</param>
    /// <param name="faceFolder">The video's face crops as Aff-Wild2 lays them out (<c>00001.jpg</c> = frame 0).</param>
    /// <exception cref="InvalidDataException">The video or the crops cannot be read; the message names them.</exception>
    public VideoPrediction Predict(string videoFile, string videoName, string? faceFolder)
    {
        var facts = VideoFacts.Read(videoFile, videoName);
        if (faceFolder is null)
        {
            throw new UserInputException($"video '{videoName}': the model '{_modelName}' reads face crops; give their folder with --faces DIR");
        }
        var row = new RawVideo
        {
            VideoId = videoName,
            FaceFolder = faceFolder,
            VideoFile = videoFile,
            FrameCount = FaceCrops.FrameCount(faceFolder),
        };
        var ml = new MLContext(seed: 1);
        var scored = ml.Data.CreateEnumerable<ScoredFrames>(_model.Transform(ml.Data.LoadFromEnumerable([row])), reuseRowObject: false).Single();
        return ToPrediction(videoName, scored, facts, faceFolder);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var step in _model.OfType<IDisposable>())
        {
            step.Dispose();
        }
    }

    private static VideoPrediction ToPrediction(string videoName, ScoredFrames scored, VideoFacts facts, string faceFolder)
    {
        var frames = new FramePrediction[scored.PredictedValence.Length];
        for (var t = 0; t < frames.Length; t++)
        {
            frames[t] = new FramePrediction(t, Math.Round(t / facts.FrameRate, 6), scored.PredictedValence[t], scored.PredictedArousal[t],
                scored.Reliability[t], scored.FaceFound[t] > 0);
        }
        return new VideoPrediction(videoName, frames, frames.Length / facts.FrameRate, faceFolder);
    }

    /// <summary>The output columns of a model loaded with its featurizers.</summary>
    private sealed class ScoredFrames
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] PredictedArousal { get; set; } = [];

        public float[] Reliability { get; set; } = [];

        public float[] FaceFound { get; set; } = [];
    }
}

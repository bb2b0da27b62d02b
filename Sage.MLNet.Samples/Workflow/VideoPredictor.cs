using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>
/// A saved model loaded once with its featurizers, predicting whole videos frame by frame: the one route that both
/// <c>predict</c> and <c>serve</c> take, so the two give identical numbers for the same file.
/// </summary>
/// <remarks>
/// A model saved with its face extraction finds the faces itself; given a crop folder, the extraction step is left out and
/// the crops are featurised as they are. Safe to call from several threads at once: each call reads its row through a
/// context of its own, and the library's transformers serve concurrent cursors.
/// </remarks>
internal sealed class VideoPredictor : IDisposable
{
    private readonly TransformerChain<ITransformer> _model;
    private readonly TransformerChain<ITransformer> _fromCrops;
    private readonly string _modelName;

    /// <summary>Loads the model zip at <paramref name="modelFile"/> with the featurizers saved in it.</summary>
    /// <param name="modelFile">The model zip.</param>
    /// <param name="missingAudio">What to do with a video that has no audio track, over the model's saved policy; null keeps it.</param>
    public VideoPredictor(string modelFile, SageMissingAudioPolicy? missingAudio = null)
    {
        _modelName = Path.GetFileName(modelFile);
        _model = SageModel.LoadWithFeaturizers(new MLContext(seed: 1), modelFile, out var inputSchema, missingAudio: missingAudio);
        FindsFaces = inputSchema.GetColumnOrNull("FaceFolder") is null && _model.Any(step => step is SageFaceExtractionTransformer);
        _fromCrops = CropRows.Chain(_model);
    }

    /// <summary>Gets whether the model was saved with its face extraction, so it reads a video with no crops.</summary>
    public bool FindsFaces { get; }

    /// <summary>Returns every frame of <paramref name="videoFile"/> predicted, from the faces found in it or from the crops in <paramref name="faceFolder"/>.</summary>
    /// <param name="videoFile">The video (its audio track is used, and its frames when no crops are given).</param>
    /// <param name="videoName">What titles call the video.</param>
    /// <param name="faceFolder">The video's face crops as Aff-Wild2 lays them out (<c>00001.jpg</c> = frame 0); null finds the faces.</param>
    /// <param name="keepFoundCrops">False deletes the crops of the faces found (the extraction's cache entry for this file) once predicted: a server's uploads are never seen again.</param>
    /// <exception cref="InvalidDataException">The video or the crops cannot be read, no face is found, or the video has no audio track
    /// and the policy is an error; the message names the file.</exception>
    /// <exception cref="UserInputException">No crops are given and the model was saved without face extraction.</exception>
    public VideoPrediction Predict(string videoFile, string videoName, string? faceFolder, bool keepFoundCrops = true)
    {
        var facts = VideoFacts.Read(videoFile, videoName);
        // Refused before any face is looked for, so a refused upload leaves no crops behind.
        if (!facts.HasAudio && _model.OfType<SageAudioFeaturizerTransformer>().Any(audio => audio.MissingAudio == SageMissingAudioPolicy.Error))
        {
            throw new InvalidDataException(
                $"video '{videoName}' has no audio track, and the model '{_modelName}' refuses such videos; --missing-audio zeros scores it from its faces with zero audio features");
        }
        var ml = new MLContext(seed: 1);
        if (faceFolder is null)
        {
            if (!FindsFaces)
            {
                throw new UserInputException($"video '{videoName}': the model '{_modelName}' was saved without face extraction and reads face crops; give their folder with --faces DIR");
            }
            var video = ml.Data.LoadFromEnumerable([new VideoOnly { VideoFile = videoFile }]);
            var found = ReadSingle<ScoredVideoFrames>(ml, _model.Transform(video));
            if (!keepFoundCrops && Directory.Exists(found.FaceFolder))
            {
                Directory.Delete(found.FaceFolder, recursive: true);
            }
            return ToPrediction(videoName, found, found.FrameTime, facts, found.FaceFolder);
        }
        var row = new RawVideo
        {
            VideoId = videoName,
            FaceFolder = faceFolder,
            VideoFile = videoFile,
            FrameCount = FaceCrops.FrameCount(faceFolder),
        };
        var scored = ReadSingle<ScoredFrames>(ml, _fromCrops.Transform(ml.Data.LoadFromEnumerable([row])));
        // Crops carry no times: frame t of a constant-rate video is shown at t / rate.
        var times = Enumerable.Range(0, scored.PredictedValence.Length).Select(t => t / facts.FrameRate).ToArray();
        return ToPrediction(videoName, scored, times, facts, faceFolder);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var step in _model.OfType<IDisposable>())
        {
            step.Dispose();
        }
    }

    /// <summary>Returns the one scored row, with a bad file's own error (naming it) rather than the wrapper ML.NET's parallel cursors put around it.</summary>
    private static T ReadSingle<T>(MLContext ml, IDataView scored)
        where T : class, new()
    {
        try
        {
            return ml.Data.CreateEnumerable<T>(scored, reuseRowObject: false).Single();
        }
        catch (InvalidOperationException e) when (BadFile(e) is { } bad)
        {
            ExceptionDispatchInfo.Throw(bad);
            throw;      // not reached
        }
    }

    private static Exception? BadFile(InvalidOperationException wrapper)
    {
        Exception? inner = wrapper.InnerException;
        while (inner is InvalidOperationException)
        {
            inner = inner.InnerException;
        }
        return inner is InvalidDataException or IOException ? inner : null;
    }

    private static VideoPrediction ToPrediction(string videoName, ScoredFrames scored, double[] times, VideoFacts facts, string faceFolder)
    {
        var frames = new FramePrediction[scored.PredictedValence.Length];
        for (var t = 0; t < frames.Length; t++)
        {
            frames[t] = new FramePrediction(t, Math.Round(times[t], 6), scored.PredictedValence[t], scored.PredictedArousal[t],
                scored.Reliability[t], scored.FaceFound[t] > 0);
        }
        var seconds = frames.Length == 0 ? 0 : Math.Round(times[^1] + 1 / facts.FrameRate, 6);
        return new VideoPrediction(videoName, frames, seconds, faceFolder, facts.HasAudio);
    }

    /// <summary>The one column a model with face extraction needs.</summary>
    private sealed class VideoOnly
    {
        public string VideoFile { get; set; } = "";
    }

    /// <summary>The output columns of a model loaded with its featurizers.</summary>
    private class ScoredFrames
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] PredictedArousal { get; set; } = [];

        public float[] Reliability { get; set; } = [];

        public float[] FaceFound { get; set; } = [];
    }

    /// <summary>The outputs of a model that found the faces itself: also each frame's time and where the crops went.</summary>
    private sealed class ScoredVideoFrames : ScoredFrames
    {
        public double[] FrameTime { get; set; } = [];

        public string FaceFolder { get; set; } = "";
    }
}

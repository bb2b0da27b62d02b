using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Onnx;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Persistence;

namespace Sage.MLNet.Live;

/// <summary>
/// What a live stream needs of a saved model, taken from <see cref="SageModel.LoadWithFeaturizers"/>'s chain so the
/// encoders, their hashes and settings are checked the same way: the face detector and extraction settings, the face
/// encoder, the log-mel settings, the network's window length, and one prediction engine over a window of features.
/// </summary>
internal sealed class LiveModel : IDisposable
{
    private readonly TransformerChain<ITransformer> _chain;
    private readonly ISageFaceDetector? _ownDetector;
    private readonly PredictionEngine<WindowFeatures, WindowScores> _engine;

    private LiveModel(TransformerChain<ITransformer> chain, SageFaceExtractionOptions extraction, ISageFaceDetector detector, ISageFaceDetector? ownDetector,
        FaceFeaturizer faces, int melBands, int windowLength, PredictionEngine<WindowFeatures, WindowScores> engine)
    {
        _chain = chain;
        Extraction = extraction;
        Detector = detector;
        _ownDetector = ownDetector;
        Faces = faces;
        MelBands = melBands;
        WindowLength = windowLength;
        _engine = engine;
    }

    public SageFaceExtractionOptions Extraction { get; }

    public ISageFaceDetector Detector { get; }

    /// <summary>Whether the face extraction settings were saved with the model (false: the defaults are used).</summary>
    public bool ExtractionSaved => _ownDetector is null;

    public FaceFeaturizer Faces { get; }

    public int MelBands { get; }

    /// <summary>The network's clip length, in frames.</summary>
    public int WindowLength { get; }

    /// <exception cref="InvalidDataException">The zip has no featurizers, or not both modalities, or no SAGE network.</exception>
    /// <exception cref="NotSupportedException">The audio encoder is an ONNX model of the whole waveform.</exception>
    public static LiveModel Open(MLContext ml, string path, IReadOnlyDictionary<string, string>? encoderPaths)
    {
        var chain = SageModel.LoadWithFeaturizers(ml, path, out _, encoderPaths);
        ISageFaceDetector? own = null;
        try
        {
            var faces = chain.OfType<SageFaceFeaturizerTransformer>().SingleOrDefault()
                ?? throw new InvalidDataException($"Model file '{path}' was saved without a face featurizer; live scoring needs both the face and the audio featurizer");
            var audio = chain.OfType<SageAudioFeaturizerTransformer>().SingleOrDefault()
                ?? throw new InvalidDataException($"Model file '{path}' was saved without an audio featurizer; live scoring needs both the face and the audio featurizer");
            if (audio.Options.EncoderModelPath is { } encoder)
            {
                throw new NotSupportedException(
                    $"Model file '{path}' uses the ONNX audio encoder '{encoder}', which encodes a whole waveform at once; live scoring supports the log-mel audio encoder only");
            }
            var extractor = chain.OfType<SageFaceExtractionTransformer>().SingleOrDefault();
            SageFaceExtractionOptions extraction;
            ISageFaceDetector detector;
            if (extractor is not null)
            {
                extraction = extractor.Options;
                detector = extractor.Extractor.Detector;
            }
            else
            {
                // Trained on crops made elsewhere (Aff-Wild2's): the library's own extraction stands in for that tool.
                extraction = new SageFaceExtractionOptions();
                detector = own = new BlazeFaceDetector(extraction.DetectorModel, extraction.MinDetectionScore, extraction.SuppressionOverlap, extraction.DetectorThreads);
            }
            var windowLength = ReadWindowLength(path);
            var network = chain.Last();
            var input = SchemaDefinition.Create(typeof(WindowFeatures));
            input[nameof(WindowFeatures.Visual)].ColumnName = faces.Options.OutputColumnName;
            input[nameof(WindowFeatures.Audio)].ColumnName = audio.Options.OutputColumnName;
            var engine = ml.Model.CreatePredictionEngine<WindowFeatures, WindowScores>(network, inputSchemaDefinition: input);
            return new LiveModel(chain, extraction, detector, own, faces.Featurizer, audio.Options.MelBands, windowLength, engine);
        }
        catch
        {
            own?.Dispose();
            Dispose(chain);
            throw;
        }
    }

    /// <summary>Scores one window of frames: visual [n, Dv] and audio [n, Da], frame-major; returns n values of each output.</summary>
    public WindowScores Score(float[] visual, float[] audio, WindowScores scores)
    {
        _engine.Predict(new WindowFeatures { Visual = visual, Audio = audio }, ref scores);
        return scores;
    }

    public void Dispose()
    {
        _engine.Dispose();
        _ownDetector?.Dispose();
        Dispose(_chain);
    }

    private static void Dispose(TransformerChain<ITransformer> chain)
    {
        foreach (var step in chain.OfType<IDisposable>())
        {
            step.Dispose();
        }
    }

    /// <summary>Reads the network's clip length from the <c>sage.config</c> metadata of the ONNX graph ML.NET keeps in the zip.</summary>
    private static int ReadWindowLength(string path)
    {
        using var archive = SafeZip.OpenRead(path, "Model file");
        foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal)))
        {
            var bytes = SafeZip.ReadEntry(archive, entry.FullName, path, "Model file");
            // ML.NET writes the graph as a byte array: a 4-byte little-endian length, then the ModelProto.
            var model = ModelProto.Parser.ParseFrom(bytes, 4, bytes.Length - 4);
            var config = model.MetadataProps.FirstOrDefault(p => p.Key == "sage.config");
            if (config is not null && JsonDocument.Parse(config.Value).RootElement.TryGetProperty(nameof(SageOptions.WindowLength), out var length))
            {
                return length.GetInt32();
            }
        }
        throw new InvalidDataException($"Model file '{path}' holds no SAGE network (no ONNX graph with 'sage.config' metadata)");
    }

    /// <summary>One window's features, under the column names the model was trained with.</summary>
    internal sealed class WindowFeatures
    {
        public float[] Visual { get; set; } = [];

        public float[] Audio { get; set; } = [];
    }

    /// <summary>The network's per-frame outputs for one window.</summary>
    internal sealed class WindowScores
    {
        public float[] PredictedValence { get; set; } = [];

        public float[] PredictedArousal { get; set; } = [];

        public float[] Reliability { get; set; } = [];
    }
}

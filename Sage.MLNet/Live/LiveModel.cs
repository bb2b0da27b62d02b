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
/// encoder, the log-mel settings, and the network (<see cref="LiveNetwork"/>: its TCNs apart from the window part).
/// </summary>
internal sealed class LiveModel : IDisposable
{
    private readonly TransformerChain<ITransformer> _chain;
    private readonly ISageFaceDetector? _ownDetector;

    private LiveModel(TransformerChain<ITransformer> chain, SageFaceExtractionOptions extraction, ISageFaceDetector detector, ISageFaceDetector? ownDetector,
        FaceFeaturizer faces, int melBands, LiveNetwork network)
    {
        _chain = chain;
        Extraction = extraction;
        Detector = detector;
        _ownDetector = ownDetector;
        Faces = faces;
        MelBands = melBands;
        Network = network;
    }

    public SageFaceExtractionOptions Extraction { get; }

    public ISageFaceDetector Detector { get; }

    /// <summary>Whether the face extraction settings were saved with the model (false: the defaults are used).</summary>
    public bool ExtractionSaved => _ownDetector is null;

    public FaceFeaturizer Faces { get; }

    public int MelBands { get; }

    public LiveNetwork Network { get; }

    /// <summary>The network's clip length, in frames.</summary>
    public int WindowLength => Network.Config.WindowLength;

    /// <exception cref="InvalidDataException">The zip has no featurizers, or not both modalities, or no SAGE network.</exception>
    /// <exception cref="NotSupportedException">The audio encoder is an ONNX model of the whole waveform.</exception>
    /// <param name="ml">The context the featurizers are loaded with.</param>
    /// <param name="path">The model zip.</param>
    /// <param name="encoderPaths">Where moved encoder files are now, or null.</param>
    /// <param name="threads">Intra-op threads of each of the network's ONNX Runtime sessions.</param>
    public static LiveModel Open(MLContext ml, string path, IReadOnlyDictionary<string, string>? encoderPaths, int threads)
    {
        var chain = SageModel.LoadWithFeaturizers(ml, path, out _, encoderPaths);
        ISageFaceDetector? own = null;
        LiveNetwork? network = null;
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
            network = new LiveNetwork(ReadNetworkGraph(path), threads);
            return new LiveModel(chain, extraction, detector, own, faces.Featurizer, audio.Options.MelBands, network);
        }
        catch
        {
            network?.Dispose();
            own?.Dispose();
            Dispose(chain);
            throw;
        }
    }

    public void Dispose()
    {
        Network.Dispose();
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

    /// <summary>Reads the network's graph, the ONNX model with <c>sage.config</c> metadata that ML.NET keeps in the zip.</summary>
    internal static ModelProto ReadNetworkGraph(string path)
    {
        using var archive = SafeZip.OpenRead(path, "Model file");
        foreach (var entry in archive.Entries.Where(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal)))
        {
            var bytes = SafeZip.ReadEntry(archive, entry.FullName, path, "Model file");
            // ML.NET writes the graph as a byte array: a 4-byte little-endian length, then the ModelProto.
            var model = ModelProto.Parser.ParseFrom(bytes, 4, bytes.Length - 4);
            var config = model.MetadataProps.FirstOrDefault(p => p.Key == "sage.config");
            if (config is not null && JsonDocument.Parse(config.Value).RootElement.TryGetProperty(nameof(SageOptions.WindowLength), out _))
            {
                return model;
            }
        }
        throw new InvalidDataException($"Model file '{path}' holds no SAGE network (no ONNX graph with 'sage.config' metadata)");
    }
}

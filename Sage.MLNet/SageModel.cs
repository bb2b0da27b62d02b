using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Sage.MLNet.Export;
using Sage.MLNet.IO;
using Sage.MLNet.Persistence;

namespace Sage.MLNet;

/// <summary>
/// Saves and loads SAGE models, checking the file first so a damaged one gets a clear error; with
/// <see cref="Save"/> and <see cref="LoadWithFeaturizers"/> a model also carries the featurizers its features came from.
/// </summary>
public static class SageModel
{
    private const string Description = "Model file";

    /// <summary>
    /// Loads a model zip written by <c>mlContext.Model.Save</c>. The result is ML.NET's own OnnxTransformer
    /// (or the saved chain) and scores like the <see cref="SageTransformer"/> that was saved.
    /// </summary>
    /// <param name="mlContext">The context; its <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/> choose where ONNX Runtime runs.</param>
    /// <param name="path">The model zip.</param>
    /// <param name="inputSchema">The schema the model was trained on.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt, truncated, not a model, or has an entry that points outside its folder.</exception>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(path);
        CheckEntries(path);
        return LoadModel(mlContext, path, out inputSchema);
    }

    /// <summary>
    /// Writes <paramref name="model"/> as ML.NET's model zip, plus the entry <c>Sage/featurization.json</c> with the settings
    /// of the featurizers its features came from, so <see cref="LoadWithFeaturizers"/> can score raw videos the same way.
    /// </summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="model">The trained model, usually a <see cref="SageTransformer"/>.</param>
    /// <param name="inputSchema">The schema of the featurised rows the model scores, or of the raw rows (the featurizers' output columns are then added).</param>
    /// <param name="path">The model zip to write; written whole or not at all.</param>
    /// <param name="faces">The face featurizer that made the visual features; null when none was used.</param>
    /// <param name="audio">The audio featurizer that made the audio features; null when none was used.</param>
    /// <param name="extraction">The face extraction that made the face crops from raw video; null when the crops came from elsewhere (Aff-Wild2's).
    /// With it, the loaded chain scores rows that hold only a video file.</param>
    /// <remarks>
    /// <para>The entry keeps every setting of each featurizer (columns, encoder, image size and normalisation, batch size,
    /// empty-folder and missing-audio policies, mel bands, feature sizes) and the SHA-256 of each encoder file as it is when
    /// this is called: save before changing an encoder file. An encoder given by path is kept as that path. Where the
    /// featurizers run (GPU) and their cache folders are not kept. <c>mlContext.Model.Load</c> and <see cref="Load"/> still
    /// read the zip, ignoring the entry.</para>
    /// <para>With neither featurizer the zip is what <c>mlContext.Model.Save</c> writes.</para>
    /// </remarks>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path,
        SageFaceFeaturizerTransformer? faces = null, SageAudioFeaturizerTransformer? audio = null, SageFaceExtractionTransformer? extraction = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(path);
        var featurization = faces is null && audio is null
            ? null
            : new FeaturizationFile(FeaturizationFile.CurrentFormatVersion, Featurization.Cache.FeaturizerSettings.FeaturizerVersion,
                faces is null ? null : FaceFeaturizerRecord.From(faces),
                audio is null ? null : AudioFeaturizerRecord.From(audio),
                extraction is null ? null : FaceExtractionRecord.From(extraction));
        if (extraction is not null && featurization is null)
        {
            throw new ArgumentException("Face extraction is saved with the face featurizer that reads its crops; pass faces as well", nameof(extraction));
        }
        var schema = FeaturizationSchema.WithFeatures(inputSchema, extraction, faces, audio);
        using var zip = new MemoryStream();
        mlContext.Model.Save(model, schema, zip);
        if (featurization is not null)
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Update, leaveOpen: true);
            using var entry = archive.CreateEntry(FeaturizationFile.EntryName).Open();
            entry.Write(featurization.ToJson());
        }
        AtomicFile.Write(path, zip.WriteTo);
    }

    /// <summary>
    /// Loads a model zip written by <see cref="Save"/> and rebuilds its featurizers from the saved settings, giving one
    /// chain that scores raw video rows (face folder, video file, frame count) the way the model was trained.
    /// </summary>
    /// <param name="mlContext">The context; its <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/> choose where the face encoder and the model run.</param>
    /// <param name="path">The model zip.</param>
    /// <param name="inputSchema">The raw rows' schema: the saved one without the features, with the featurizers' input columns.</param>
    /// <param name="encoderPaths">For a model trained on another machine: encoder paths as saved, mapped to where those files are here. The hashes are still checked.</param>
    /// <param name="cacheFolder">
    /// A feature cache folder for the rebuilt featurizers (see <see cref="SageFeatureCache"/>); null featurises every video every
    /// time. The cache filled while training serves here too: the rebuilt featurizers have the same settings, hence the same keys.
    /// </param>
    /// <param name="detector">For a model saved with a face detector of your own: that detector (its <see cref="ISageFaceDetector.Identity"/> must match). The caller disposes it.</param>
    /// <param name="missingAudio">What the rebuilt audio featurizer does with a video that has no audio track, instead of the saved
    /// <see cref="SageAudioFeaturizerOptions.MissingAudio"/>; null keeps the saved policy. <see cref="SageMissingAudioPolicy.Zeros"/>
    /// scores such a video from its faces with zero audio features.</param>
    /// <returns>The face extraction, the face featurizer, the audio featurizer (each where saved) and the model, in that order; dispose it when done.</returns>
    /// <remarks>
    /// <para>With face extraction saved, a row needs only the video file column; the crops are cached in <c>face-crops/</c> of
    /// <paramref name="cacheFolder"/>, or of the system's temporary folder when it is null.</para>
    /// <para>The model scores a long video a few clips at a time (eight clips of 300 frames every 200 by default), merged per
    /// frame as one run over the whole video would merge them, so the memory ONNX Runtime needs does not grow with the video's
    /// length. Reading the result, a file that cannot be read, has no face (when the extraction's policy says so) or no audio track
    /// (under <see cref="SageMissingAudioPolicy.Error"/>) fails with an <see cref="InvalidDataException"/> that names it, not
    /// ML.NET's wrapper around it.</para>
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is damaged or not a model, or was saved without featurizers (load it with <see cref="Load"/>).</exception>
    /// <exception cref="InvalidOperationException">An encoder file is missing here or differs from the one the model was trained with; the message names it and both SHA-256 hashes.</exception>
    public static TransformerChain<ITransformer> LoadWithFeaturizers(MLContext mlContext, string path, out DataViewSchema inputSchema,
        IReadOnlyDictionary<string, string>? encoderPaths = null, string? cacheFolder = null, ISageFaceDetector? detector = null,
        SageMissingAudioPolicy? missingAudio = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(path);
        if (missingAudio is { } policy && !Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(missingAudio), policy, $"{nameof(missingAudio)} must be {nameof(SageMissingAudioPolicy.Error)}, {nameof(SageMissingAudioPolicy.Zeros)} or null");
        }
        var (json, graph) = ReadEntries(path);
        json = json
            ?? throw new InvalidDataException(
                $"{Description} '{path}' was saved without featurizers (it has no '{FeaturizationFile.EntryName}' entry); load it with SageModel.Load and featurise the rows yourself, or save it with SageModel.Save and its featurizers");
        var featurization = FeaturizationFile.Parse(json, path);
        var encoders = new EncoderFile(path, encoderPaths);
        var steps = new List<ITransformer>();
        try
        {
            var model = LoadModel(mlContext, path, out var savedSchema);
            steps.Add(model);
            if (model is OnnxTransformer && graph is not null && SageWindowedGraph.FromModelZipEntry(graph) is { } windowed)
            {
                steps[^1] = windowed.Serve(model, graph[4..]);     // the entry is the graph's length, then the graph
            }
            inputSchema = FeaturizationSchema.Raw(savedSchema, featurization);
            IDataView schemaOnly = new SchemaOnlyDataView(inputSchema);
            if (featurization.Extraction is { } extraction)
            {
                var extractor = extraction.Rebuild(mlContext, schemaOnly, encoders, cacheFolder is null ? null : Path.Combine(cacheFolder, "face-crops"), detector);
                steps.Insert(steps.Count - 1, extractor);
                schemaOnly = new SchemaOnlyDataView(extractor.GetOutputSchema(schemaOnly.Schema));
            }
            if (featurization.Faces is { } faces)
            {
                steps.Insert(steps.Count - 1, faces.Rebuild(mlContext, schemaOnly, encoders, cacheFolder));
            }
            if (featurization.Audio is { } audio)
            {
                steps.Insert(steps.Count - 1, audio.Rebuild(mlContext, schemaOnly, encoders, cacheFolder, missingAudio));
            }
            return new TransformerChain<ITransformer>([.. steps]);
        }
        catch
        {
            foreach (var step in steps.OfType<IDisposable>())
            {
                step.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// Opens a live predictor on a model zip written by <see cref="Save"/> with its featurizers: frames pushed one at a time
    /// (image, audio since the previous frame, time) come back as per-frame valence and arousal a few frames later.
    /// </summary>
    /// <param name="mlContext">The context; its <see cref="MLContext.GpuDeviceId"/> and <see cref="MLContext.FallbackToCpu"/> choose where the face encoder runs (the network runs on the CPU).</param>
    /// <param name="path">The model zip.</param>
    /// <param name="options">The lookahead, recompute interval and queue size; null takes the defaults. Its values are copied.</param>
    /// <returns>The predictor, already running; dispose it when done.</returns>
    /// <remarks>It returns once every session (detector, face encoder, network) has run once on blank input, on the
    /// predictor's own thread, so the first frame costs what later ones do; open it before starting the source, so the
    /// source's first frames do not pile up while the model loads. A model saved with face extraction (<see cref="Save"/>'s <c>extraction</c>) detects and aligns faces with its
    /// saved settings; one trained on crops made elsewhere uses <see cref="SageFaceExtractionOptions"/>' defaults. The audio
    /// encoder must be the log-mel one.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is damaged, not a model, or was saved without its face and audio featurizers.</exception>
    /// <exception cref="NotSupportedException">The model's audio encoder is an ONNX model, which needs the whole waveform.</exception>
    public static SageLivePredictor OpenLive(MLContext mlContext, string path, SageLiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(path);
        var o = (options ?? new SageLiveOptions()).Copy();
        Live.LiveOptionsCheck.Validate(o);
        var model = Live.LiveModel.Open(mlContext, path, o.EncoderPaths, Environment.ProcessorCount);
        try
        {
            Live.LiveOptionsCheck.Validate(o, o.ContextFrames ?? model.WindowLength);
            return new SageLivePredictor(model, o);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Checks that every entry of the zip is whole and returns the featurization entry's bytes, or null when it has none.</summary>
    private static byte[]? CheckEntries(string path) => ReadEntries(path).Featurization;

    /// <summary>Checks that every entry of the zip is whole; returns the featurization entry's bytes and the saved ONNX graph's entry, each null when absent.</summary>
    private static (byte[]? Featurization, byte[]? Graph) ReadEntries(string path)
    {
        using var archive = SafeZip.OpenRead(path, Description);
        byte[]? featurization = null, graph = null;
        foreach (var entry in archive.Entries)
        {
            var bytes = SafeZip.ReadEntry(archive, entry.FullName, path, Description);
            if (entry.FullName == FeaturizationFile.EntryName)
            {
                featurization = bytes;
            }
            else if (entry.FullName == SageWindowedGraph.ModelZipEntry)
            {
                graph = bytes;
            }
        }
        return (featurization, graph);
    }

    private static ITransformer LoadModel(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        try
        {
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{Description} '{path}' is not an ML.NET model: {e.Message}", e);
        }
    }
}

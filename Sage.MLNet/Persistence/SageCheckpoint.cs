using System.IO.Compression;
using System.Text.Json;
using Sage.MLNet.IO;
using Sage.MLNet.Modeling;

namespace Sage.MLNet.Persistence;

/// <summary>
/// The TorchSharp side of a trained model, for resuming or fine-tuning: a zip holding
/// <c>config.json</c> (the <see cref="SageNetworkConfig"/> and a format version) and <c>weights.bin</c>
/// (the network's state dictionary in TorchSharp's own format, written by <c>Module.save</c>).
/// </summary>
internal sealed class SageCheckpoint
{
    private const int FormatVersion = 1;
    private const string ConfigEntry = "config.json";
    private const string WeightsEntry = "weights.bin";
    private const string Description = "Checkpoint file";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private SageCheckpoint(SageNetworkConfig config, byte[] weights)
    {
        Config = config;
        Weights = weights;
    }

    public SageNetworkConfig Config { get; }

    /// <summary>The state dictionary as TorchSharp writes it.</summary>
    public byte[] Weights { get; }

    public static SageCheckpoint From(SageNetwork network)
    {
        using var stream = new MemoryStream();
        network.save(stream);
        return new SageCheckpoint(network.Config, stream.ToArray());
    }

    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var config = archive.CreateEntry(ConfigEntry).Open())
        {
            JsonSerializer.Serialize(config, new CheckpointFile(FormatVersion, Config), s_json);
        }
        using var weights = archive.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open();
        weights.Write(Weights);
    });

    /// <summary>Reads a checkpoint; with <paramref name="expected"/>, also checks that its weights fit that network.</summary>
    public static SageCheckpoint Load(string path, SageNetworkConfig? expected = null)
    {
        using var archive = SafeZip.OpenRead(path, Description);
        CheckpointFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CheckpointFile>(SafeZip.ReadEntry(archive, ConfigEntry, path, Description));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Description} '{path}': '{ConfigEntry}' is not valid: {e.Message}", e);
        }
        if (file?.Config is null || file.FormatVersion != FormatVersion)
        {
            throw new InvalidDataException($"{Description} '{path}': '{ConfigEntry}' has format version {file?.FormatVersion}; this library reads version {FormatVersion}");
        }
        if (expected is not null && !expected.HasSameWeightShapes(file.Config))
        {
            throw new InvalidOperationException(
                $"{Description} '{path}' holds a network of other sizes than the options ask for: checkpoint {file.Config}, options {expected}");
        }
        return new SageCheckpoint(file.Config, SafeZip.ReadEntry(archive, WeightsEntry, path, Description));
    }

    /// <summary>Copies the weights into a network of the same sizes.</summary>
    public void LoadInto(SageNetwork network)
    {
        using var stream = new MemoryStream(Weights, writable: false);
        network.load(stream);
    }

    private sealed record CheckpointFile(int FormatVersion, SageNetworkConfig Config);
}

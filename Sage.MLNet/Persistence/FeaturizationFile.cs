using System.Text.Json;
using System.Text.Json.Serialization;
using Sage.MLNet.Featurization.Cache;

namespace Sage.MLNet.Persistence;

/// <summary>
/// The zip entry <see cref="EntryName"/> that <see cref="SageModel.Save"/> adds to an ML.NET model zip: how the model's
/// features were made, so <see cref="SageModel.LoadWithFeaturizers"/> can rebuild the same featurizers.
/// </summary>
/// <remarks>
/// JSON, camelCase, written indented. Fields: <c>formatVersion</c> (this file's layout), <c>featurizerVersion</c>
/// (<see cref="FeaturizerSettings.FeaturizerVersion"/>: the library's own featurisation code), then <c>faces</c> and
/// <c>audio</c>, each null when the model was trained without that featurizer (see <see cref="FaceFeaturizerRecord"/> and
/// <see cref="AudioFeaturizerRecord"/>), and <c>extraction</c>, null unless the model reads raw video through face extraction
/// (<see cref="FaceExtractionRecord"/>; files without the field read as null). ML.NET's loader reads only the entries it wrote, so this one is invisible to it.
/// </remarks>
internal sealed record FeaturizationFile(int FormatVersion, int FeaturizerVersion, FaceFeaturizerRecord? Faces, AudioFeaturizerRecord? Audio,
    FaceExtractionRecord? Extraction = null)
{
    public const int CurrentFormatVersion = 1;
    public const string EntryName = "Sage/featurization.json";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    /// <summary>Reads the entry and checks that this library can rebuild what it describes.</summary>
    /// <param name="json">The entry's bytes.</param>
    /// <param name="modelPath">The model zip, for messages.</param>
    public static FeaturizationFile Parse(byte[] json, string modelPath)
    {
        FeaturizationFile? file;
        try
        {
            file = JsonSerializer.Deserialize<FeaturizationFile>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model file '{modelPath}': entry '{EntryName}' is not valid: {e.Message}", e);
        }
        if (file is null || file.FormatVersion != CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"Model file '{modelPath}': entry '{EntryName}' has format version {file?.FormatVersion}; this library reads version {CurrentFormatVersion}");
        }
        if (file.Faces is null && file.Audio is null)
        {
            throw new InvalidDataException($"Model file '{modelPath}': entry '{EntryName}' describes no featurizer");
        }
        if (file.FeaturizerVersion != FeaturizerSettings.FeaturizerVersion)
        {
            // The same encoder and settings would still give other numbers than the model was trained on.
            throw new InvalidOperationException(
                $"Model file '{modelPath}' was trained on features of featurizer version {file.FeaturizerVersion}; this library featurises as version {FeaturizerSettings.FeaturizerVersion}. Retrain the model on features made by this version");
        }
        return file;
    }
}

using System.Text.Json;
using Sage.MLNet.IO;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// <c>extraction.json</c>, written last into a video's crop folder: what the crops are and which frames have them.
/// A folder is complete exactly when it has this file (the folder appears by one rename, with the file already inside).
/// </summary>
/// <param name="FormatVersion">This file's layout; <see cref="CurrentFormatVersion"/>.</param>
/// <param name="VideoFile">The video's full path when it was read.</param>
/// <param name="Detector">The detector's identity (model file SHA-256 and thresholds).</param>
/// <param name="FrameCount">T: the frames decoded.</param>
/// <param name="FrameTimes">T times in seconds, each frame's own presentation time.</param>
/// <param name="People">The people found, main person first: the sub-folder of their crops ("" for the folder itself) and T flags (1 = the frame has a crop).</param>
internal sealed record ExtractionManifest(int FormatVersion, string VideoFile, string Detector, int FrameCount, double[] FrameTimes, ExtractedPerson[] People)
{
    public const int CurrentFormatVersion = 2;
    public const string FileName = "extraction.json";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public void Write(string folder) => AtomicFile.Write(Path.Combine(folder, FileName), s => JsonSerializer.Serialize(s, this, s_json));

    /// <summary>Returns the folder's manifest, or null when the folder or its manifest is missing or unreadable (then it is made again).</summary>
    public static ExtractionManifest? TryRead(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var manifest = JsonSerializer.Deserialize<ExtractionManifest>(File.ReadAllBytes(path), s_json);
            return manifest is { FormatVersion: CurrentFormatVersion } && manifest.FrameTimes.Length == manifest.FrameCount
                && manifest.People.All(p => p.FaceFound.Length == manifest.FrameCount)
                ? manifest
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }
}

/// <summary>One person's crops: the sub-folder (relative; "" for the main person), presence (box area × frames), the mean horizontal centre of the face as a fraction of the frame's width, and T flags, 1 where the frame has a crop.</summary>
internal sealed record ExtractedPerson(string Folder, double Presence, double CentreX, float[] FaceFound);

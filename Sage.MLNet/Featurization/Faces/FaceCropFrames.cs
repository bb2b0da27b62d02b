using System.Globalization;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// Which of a video's T frames have a face crop (<c>00001.jpg</c> holds frame 0, numbers missing where no face was
/// found), and which crop stands in for each frame that has none.
/// </summary>
internal sealed class FaceCropFrames
{
    private static readonly EnumerationOptions s_jpegFiles = new() { MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true };

    private FaceCropFrames(string[] files, int[] frames)
    {
        Files = files;
        Frames = frames;
    }

    /// <summary>The crop files in frame order, one per frame that has a face.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The frame of each crop in <see cref="Files"/>, increasing.</summary>
    public IReadOnlyList<int> Frames { get; }

    /// <summary>Lists the crops of frames 0 … <paramref name="frameCount"/> − 1; crops numbered beyond the last frame are ignored.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="folder"/> does not exist; the message names it and the video.</exception>
    public static FaceCropFrames List(string folder, string video, int frameCount)
    {
        if (folder.Length == 0 || !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"video '{video}': face-crop folder '{folder}' does not exist");
        }
        var crops = new SortedDictionary<int, string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.jpg", s_jpegFiles))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number >= 1 && number <= frameCount)
            {
                crops[number - 1] = file;
            }
        }
        return new FaceCropFrames([.. crops.Values], [.. crops.Keys]);
    }

    /// <summary>
    /// Returns, for every frame, the index into <see cref="Files"/> of the crop whose features it takes: its own crop,
    /// else the nearest earlier one, else (before the first face) the first one. Empty when there is no crop at all.
    /// </summary>
    public int[] SourceOfEachFrame(int frameCount)
    {
        if (Frames.Count == 0)
        {
            return [];
        }
        var sources = new int[frameCount];
        var crop = 0;
        for (var frame = 0; frame < frameCount; frame++)
        {
            while (crop + 1 < Frames.Count && Frames[crop + 1] <= frame)
            {
                crop++;
            }
            sources[frame] = crop;
        }
        return sources;
    }
}

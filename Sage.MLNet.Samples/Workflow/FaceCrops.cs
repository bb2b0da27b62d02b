using System.Globalization;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>Reads a video's face-crop folder as Aff-Wild2 lays it out: <c>00001.jpg</c> holds frame 0, numbers missing where no face was found.</summary>
internal static class FaceCrops
{
    /// <summary>Returns T, the highest crop number in <paramref name="folder"/>: the frames a prediction covers.</summary>
    public static int FrameCount(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Could not find the face-crop folder '{folder}'");
        }
        var numbers = Directory.EnumerateFiles(folder, "*.jpg")
            .Select(file => int.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0)
            .Max();
        return numbers > 0 ? numbers : throw new InvalidDataException($"face-crop folder '{folder}' holds no crop named like 00001.jpg");
    }
}

using Sage.MLNet.Data;

namespace Sage.MLNet.Export;

/// <summary>
/// How a long video is scored a few clips at a time instead of in one run of the graph: runs of consecutive clips of
/// <see cref="ClipPlan"/>, each cut as a video of its own whose own clip plan is exactly those clips, so merging the runs'
/// per-frame averages (weighted by how many clips of each run cover a frame) gives what one run over the whole video gives.
/// </summary>
/// <remarks>
/// ONNX Runtime's memory for one run grows with the number of clips (the attention scores alone are W × heads × L × L
/// floats), so a 20-minute video in one run needs about a gigabyte more than a 1-minute one; in windows of
/// <see cref="ClipsPerWindow"/> clips it needs what one window needs, whatever the length.
/// </remarks>
/// <param name="WindowLength">L, frames per clip.</param>
/// <param name="WindowStride">S, frames between clip starts.</param>
/// <param name="VisualFeatureSize">Dv, visual values per frame.</param>
/// <param name="AudioFeatureSize">Da, audio values per frame.</param>
/// <param name="ClipsPerWindow">Clips per run of the graph; a video of at most this many clips is scored in one run, as before.</param>
internal sealed record SageScoringWindows(int WindowLength, int WindowStride, int VisualFeatureSize, int AudioFeatureSize, int ClipsPerWindow = SageScoringWindows.DefaultClipsPerWindow)
{
    /// <summary>Eight clips: a video up to 1,700 frames (68 s at 25 frames/s) is one run, and a window costs what such a video costs.</summary>
    public const int DefaultClipsPerWindow = 8;

    /// <summary>Returns the frame ranges [start, end) scored one run each; one range covering every frame when the video fits one window.</summary>
    public IReadOnlyList<(int Start, int End)> Ranges(int frames)
    {
        var starts = ClipPlan.Starts(frames, WindowLength, WindowStride);
        if (frames <= WindowLength || starts.Length <= ClipsPerWindow)
        {
            return [(0, frames)];
        }
        var ranges = new List<(int, int)>();
        for (var first = 0; first < starts.Length; first += ClipsPerWindow)
        {
            var last = Math.Min(first + ClipsPerWindow, starts.Length) - 1;
            ranges.Add((starts[first], starts[last] + WindowLength));
        }
        return ranges;
    }

    /// <summary>Returns how many clips of a video of <paramref name="frames"/> frames cover each frame.</summary>
    public int[] Coverage(int frames)
    {
        var counts = new int[frames];
        foreach (var start in ClipPlan.Starts(frames, WindowLength, WindowStride))
        {
            for (var t = start; t < Math.Min(start + WindowLength, frames); t++)
            {
                counts[t]++;
            }
        }
        return counts;
    }
}

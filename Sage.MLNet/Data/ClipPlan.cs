namespace Sage.MLNet.Data;

/// <summary>
/// Where the clips of a video start: every <c>stride</c> frames from 0, plus one clip that ends on the
/// last frame, so the tail is covered and no clip repeats. A video shorter than a clip gets one clip
/// starting at 0, padded. Training, TorchSharp prediction and the exported ONNX graph all use this plan.
/// </summary>
internal static class ClipPlan
{
    /// <summary>Returns the first frame of each clip, ascending.</summary>
    public static int[] Starts(int frameCount, int length, int stride)
    {
        var last = Math.Max(frameCount - length, 0);
        var starts = new List<int>();
        for (var start = 0; start < last; start += stride)
        {
            starts.Add(start);
        }
        starts.Add(last);
        return [.. starts];
    }
}

namespace Sage.MLNet.Data;

/// <summary>One video's features and, when present, its labels, as read from one row.</summary>
/// <param name="Name">How errors name the video: its VideoId when the data has one, else its row number.</param>
/// <param name="Frames">T, the number of frames.</param>
/// <param name="Visual">T × Dv values, frame-major; empty when <see cref="VisualFrames"/> reads them instead.</param>
/// <param name="Audio">T × Da values, frame-major; empty when <see cref="AudioFrames"/> reads them instead.</param>
/// <param name="Valence">T labels, or null when labels were not read.</param>
/// <param name="Arousal">T labels, or null when labels were not read.</param>
/// <param name="FaceFound">T values, 0 where the frame had no face crop and 1 where it had one; null when not read (every frame counts).</param>
internal sealed record SageVideo(string Name, int Frames, float[] Visual, float[] Audio, float[]? Valence, float[]? Arousal,
    float[]? FaceFound = null)
{
    /// <summary>Reads the visual features a frame range at a time instead of <see cref="Visual"/>, when the row came from a cache that allows it.</summary>
    public IFrameRangeReader? VisualFrames { get; init; }

    /// <summary>Reads the audio features a frame range at a time instead of <see cref="Audio"/>, when the row came from a cache that allows it.</summary>
    public IFrameRangeReader? AudioFrames { get; init; }

    /// <summary>Dv.</summary>
    public int VisualWidth => VisualFrames?.Width ?? Visual.Length / Frames;

    /// <summary>Da.</summary>
    public int AudioWidth => AudioFrames?.Width ?? Audio.Length / Frames;

    /// <summary>Copies the visual features of frames <paramref name="start"/> … <paramref name="start"/> + target.Length / Dv − 1 into <paramref name="target"/>.</summary>
    public void CopyVisual(int start, Span<float> target) => Copy(Visual, VisualFrames, VisualWidth, start, target);

    /// <summary>Copies the audio features of frames <paramref name="start"/> … <paramref name="start"/> + target.Length / Da − 1 into <paramref name="target"/>.</summary>
    public void CopyAudio(int start, Span<float> target) => Copy(Audio, AudioFrames, AudioWidth, start, target);

    private static void Copy(float[] values, IFrameRangeReader? frames, int width, int start, Span<float> target)
    {
        if (frames is not null)
        {
            frames.Read(start, target);
        }
        else
        {
            values.AsSpan(start * width, target.Length).CopyTo(target);
        }
    }
}

using Microsoft.ML;

namespace Sage.MLNet.Data;

/// <summary>
/// A row cursor whose [T, D] feature columns can also be read a few frames at a time, so that training copies each clip
/// straight from where the features are stored instead of holding whole videos (the feature cache's rows do this).
/// </summary>
internal interface IFrameRangeCursor
{
    /// <summary>Opens the current row's values of a feature column for reading frame ranges, or returns null when this column cannot be read so.</summary>
    IFrameRangeReader? OpenFrames(DataViewSchema.Column column);
}

/// <summary>One row's [T, D] features, read a frame range at a time.</summary>
internal interface IFrameRangeReader : IDisposable
{
    /// <summary>T, the frames.</summary>
    int Frames { get; }

    /// <summary>D, the values per frame.</summary>
    int Width { get; }

    /// <summary>Copies frames <paramref name="start"/> … <paramref name="start"/> + target.Length / D − 1 into <paramref name="target"/>.</summary>
    void Read(int start, Span<float> target);

    /// <summary>
    /// Checks the values' integrity once the caller has read what it needs (reading whatever it skipped); throws an
    /// <see cref="InvalidDataException"/> naming where the values are stored when they are damaged.
    /// </summary>
    void Complete();
}

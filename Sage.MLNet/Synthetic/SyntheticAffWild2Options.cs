namespace Sage.MLNet.Synthetic;

/// <summary>Settings of <see cref="SyntheticAffWild2.Generate"/>: how many videos per split, how long, how large.</summary>
public sealed class SyntheticAffWild2Options
{
    /// <summary>Gets or sets the seed; the same seed and options give the same annotation files, crops and decoded audio. Default: 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Gets or sets the number of Train annotation files (people). Default: 8.
    /// From 2 on, the last two are one <c>&lt;video&gt;_left</c>/<c>&lt;video&gt;_right</c> pair sharing one video file.
    /// </summary>
    public int TrainVideos { get; set; } = 8;

    /// <summary>Gets or sets the number of Validation videos. Default: 2.</summary>
    public int ValidationVideos { get; set; } = 2;

    /// <summary>Gets or sets the number of Test videos, named in the test list and without annotation files in the challenge folders. Default: 2.</summary>
    public int TestVideos { get; set; } = 2;

    /// <summary>Gets or sets each video's length, in seconds; T is this times <see cref="FramesPerSecond"/>, rounded. Default: 12 s.</summary>
    public double SecondsPerVideo { get; set; } = 12;

    /// <summary>Gets or sets the frame rate, in frames per second; 30000/1001 (29.97) is written as that exact fraction. Default: 25.</summary>
    public double FramesPerSecond { get; set; } = 25;

    /// <summary>Gets or sets the side of the square face crops, in pixels. Default: 112 (Aff-Wild2's crop size).</summary>
    public int CropSize { get; set; } = 112;

    /// <summary>
    /// Gets or sets the folder that holds the <c>ffmpeg</c> binary.
    /// Default: null, which uses FFMpegCore's <c>GlobalFFOptions.Current.BinaryFolder</c> (by default empty: ffmpeg is looked up on PATH).
    /// </summary>
    public string? FFMpegBinaryFolder { get; set; }
}

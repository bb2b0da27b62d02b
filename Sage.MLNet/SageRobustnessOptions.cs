namespace Sage.MLNet;

/// <summary>Chooses what <see cref="SageRobustness.Run"/> trains and under which corruptions it scores.</summary>
public sealed class SageRobustnessOptions
{
    /// <summary>Gets or sets the fusion variants to train and compare. Default: all four, <see cref="SageFusion.ReliabilityGuided"/> first.</summary>
    public IReadOnlyList<SageFusion> Variants { get; set; } =
        [SageFusion.ReliabilityGuided, SageFusion.ModalityReliability, SageFusion.Concatenation, SageFusion.GatedMultimodalUnit];

    /// <summary>Gets or sets how many seeds each variant is trained with (seeds 1 … n, the same for every variant). Default: 3.</summary>
    public int Seeds { get; set; } = 3;

    /// <summary>Gets or sets the media corruptions to score under. Default: all six kinds.</summary>
    public IReadOnlyList<SageCorruptionKind> Corruptions { get; set; } = Enum.GetValues<SageCorruptionKind>();

    /// <summary>Gets or sets the corrupted shares of each video (<see cref="SageCorruption.Coverage"/>) to score at, each in (0, 1]; the clean videos (0) are always scored. Default: 0.25, 0.5, 0.75.</summary>
    public IReadOnlyList<double> Levels { get; set; } = [0.25, 0.5, 0.75];

    /// <summary>Gets or sets the length of each corrupted stretch, in frames. Default: 50 (2 s at 25 frames/s).</summary>
    public int StretchFrames { get; set; } = 50;

    /// <summary>Gets or sets the seed of the corruptions, the same for every variant and training seed so all meet the same corrupted media. Default: 1.</summary>
    public int CorruptionSeed { get; set; } = 1;

    /// <summary>
    /// Gets or sets the root of a synthetic copy whose own unreliable stages (<c>synthetic_reliability.csv</c>) are scored as one more
    /// corruption, "synthetic-stages", at the share of frames they cover. Default: null, none.
    /// </summary>
    public string? SyntheticRoot { get; set; }

    /// <summary>Gets or sets the template of every training run; <see cref="SageOptions.Fusion"/> and <see cref="SageOptions.Seed"/> are set per run. Default: <see cref="SageOptions"/>'s defaults.</summary>
    public SageOptions Training { get; set; } = new();

    /// <summary>Gets or sets the folder for the corrupted copies, one subfolder per corruption and level; it must be missing or empty. Required.</summary>
    public string WorkFolder { get; set; } = "";

    /// <summary>Gets or sets the id of the evaluation video whose weights over time go into <see cref="SageRobustnessReport.Traces"/>. Default: null, the first evaluation video.</summary>
    public string? TraceVideoId { get; set; }

    /// <summary>Gets or sets a receiver of one line per step (training a model, corrupting, scoring); null for none. Default: null.</summary>
    public IProgress<string>? Progress { get; set; }
}

namespace Sage.MLNet;

/// <summary>Holds what <see cref="SageRobustness.Run"/> measured: CCC and weight AUROC per variant, corruption and level, and one video's weights.</summary>
/// <param name="Results">One entry per variant, corruption and level, the clean videos as corruption "none" at level 0.</param>
/// <param name="Traces">For the trace video, each variant's weights over time under each corruption and level (first seed).</param>
/// <param name="TrainingFramesPerSecond">Per variant, the mean training throughput of its last epochs over seeds, frames/s.</param>
public sealed record SageRobustnessReport(
    IReadOnlyList<SageRobustnessResult> Results,
    IReadOnlyList<SageRobustnessTrace> Traces,
    IReadOnlyDictionary<SageFusion, double> TrainingFramesPerSecond);

/// <summary>Holds the scores of one fusion variant under one corruption at one level, over seeds.</summary>
/// <param name="Variant">The fusion variant.</param>
/// <param name="Corruption">The corruption's short name (<see cref="SageCorruption.Name"/>), "none" for the clean videos, "synthetic-stages" for a synthetic copy's own stages.</param>
/// <param name="Level">The corrupted share of each video's frames (for synthetic-stages, the share of frames in any stage).</param>
/// <param name="ValenceCcc">CCC of valence over all annotated frames, over seeds.</param>
/// <param name="ArousalCcc">CCC of arousal, over seeds.</param>
/// <param name="MeanCcc">The mean of the two, over seeds.</param>
/// <param name="Frames">Annotated frames scored (the same for every seed).</param>
/// <param name="VisualAuroc">AUROC of "the frame's face is corrupted" against the visual weight (the frame weight for variants without one), over seeds; null where no frame's face is corrupted, or every frame's.</param>
/// <param name="AudioAuroc">The same for the sound and the audio weight.</param>
public sealed record SageRobustnessResult(
    SageFusion Variant,
    string Corruption,
    double Level,
    SageMeanAndDeviation ValenceCcc,
    SageMeanAndDeviation ArousalCcc,
    SageMeanAndDeviation MeanCcc,
    long Frames,
    SageMeanAndDeviation? VisualAuroc,
    SageMeanAndDeviation? AudioAuroc);

/// <summary>Holds one variant's weights over one video's frames under one corruption and level, with the corrupted stretches.</summary>
/// <param name="Variant">The fusion variant.</param>
/// <param name="Corruption">The corruption's short name, as in <see cref="SageRobustnessResult.Corruption"/>.</param>
/// <param name="Level">The corrupted share.</param>
/// <param name="VideoId">The video.</param>
/// <param name="Reliability">The frame weight, T values (1 everywhere for variants that weigh no frame above another).</param>
/// <param name="VisualReliability">The visual weight, T values, or null for variants without per-modality weights.</param>
/// <param name="AudioReliability">The audio weight, T values, or null.</param>
/// <param name="Stretches">The video's corrupted stretches under this corruption.</param>
public sealed record SageRobustnessTrace(
    SageFusion Variant,
    string Corruption,
    double Level,
    string VideoId,
    IReadOnlyList<float> Reliability,
    IReadOnlyList<float>? VisualReliability,
    IReadOnlyList<float>? AudioReliability,
    IReadOnlyList<SageCorruptedStretch> Stretches);

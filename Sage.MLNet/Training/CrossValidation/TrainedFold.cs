using Sage.MLNet.Persistence;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>One trained fold: its held-out part, its scores and its weights, kept as a checkpoint rather than a live network.</summary>
/// <param name="HeldOutVideos">Rows held out of its training.</param>
/// <param name="HeldOutFrames">Frames of those rows.</param>
/// <param name="BestEpoch">The epoch whose weights were kept, from 1.</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="HeldOut">CCC on the held-out rows.</param>
/// <param name="Validation">CCC on the validation set, or null without one.</param>
/// <param name="Checkpoint">The kept weights.</param>
internal sealed record TrainedFold(
    int HeldOutVideos,
    long HeldOutFrames,
    int BestEpoch,
    int Epochs,
    CccMetrics HeldOut,
    CccMetrics? Validation,
    SageCheckpoint Checkpoint);

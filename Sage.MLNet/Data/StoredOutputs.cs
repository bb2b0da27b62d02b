namespace Sage.MLNet.Data;

/// <summary>
/// One row's featurizer outputs opened where they are already stored (a feature cache file), so that training reads them
/// a frame range at a time instead of holding the whole video: the first output as frame ranges, the others whole.
/// </summary>
/// <param name="Frames">The first output, [T, D], read a frame range at a time; whoever takes it disposes it.</param>
/// <param name="Others">The values of the other outputs, in output order (per-frame channels, T values each: FaceFound).</param>
internal sealed record StoredOutputs(IFrameRangeReader Frames, float[][] Others);

namespace Sage.MLNet.Featurization.Cache;

/// <summary>One video's featurisation result, as computed or as read back from the cache.</summary>
/// <param name="FrameCount">T.</param>
/// <param name="FeatureSize">D, values per frame.</param>
/// <param name="Values">[T, D] frame-major.</param>
/// <param name="ExtraChannels">C, extra per-frame channels (faces: 1, FaceFound; audio: 0).</param>
/// <param name="Extra">[C, T] channel-major.</param>
internal sealed record VideoFeatures(int FrameCount, int FeatureSize, float[] Values, int ExtraChannels, float[] Extra);

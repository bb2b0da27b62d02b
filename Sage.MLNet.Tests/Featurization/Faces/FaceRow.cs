namespace Sage.MLNet.Tests.Featurization.Faces;

/// <summary>One video's input row, as LoadAffWild2 gives it.</summary>
public sealed class FaceRow
{
    public string FaceFolder { get; set; } = "";

    public int FrameCount { get; set; }
}

namespace Sage.MLNet.Samples.Workflow;

/// <summary>One video row as <c>LoadAffWild2</c> gives it: where its crops and file are, and its labels.</summary>
internal sealed class RawVideo
{
    public string VideoId { get; set; } = "";

    public string FaceFolder { get; set; } = "";

    public string VideoFile { get; set; } = "";

    public float[] Valence { get; set; } = [];

    public float[] Arousal { get; set; } = [];

    public int FrameCount { get; set; }
}

namespace Sage.MLNet.Synthetic;

/// <summary>
/// One annotated face of a synthetic video: its true valence and arousal, the frames whose annotation is −5,
/// the frames without a face crop and the stages in which its face or its audio is unreliable.
/// </summary>
internal sealed class SyntheticPerson
{
    public SyntheticPerson(string videoId, AffWild2Split split, double[] valence, double[] arousal, Range notAnnotated,
        IReadOnlySet<int> missingCrops, string cropFolderName, IReadOnlyList<ReliabilityStage> stages)
    {
        VideoId = videoId;
        Split = split;
        Valence = valence;
        Arousal = arousal;
        NotAnnotated = notAnnotated;
        MissingCrops = missingCrops;
        CropFolderName = cropFolderName;
        Stages = stages;
    }

    /// <summary>The annotation file's name without <c>.txt</c>, <c>_left</c>/<c>_right</c> included.</summary>
    public string VideoId { get; }

    public AffWild2Split Split { get; }

    /// <summary>The true valence of every frame, also where the annotation says −5: the face and the audio follow it there too.</summary>
    public double[] Valence { get; }

    /// <summary>The true arousal of every frame.</summary>
    public double[] Arousal { get; }

    /// <summary>The frames whose annotation row is <c>-5,-5</c>; empty for most videos.</summary>
    public Range NotAnnotated { get; }

    /// <summary>The frames (counted from 0) that get no crop file, as where a real face detector failed; never the last frame, which gives the Test split its T.</summary>
    public IReadOnlySet<int> MissingCrops { get; }

    /// <summary><c>cropped_aligned</c> or <c>cropped_aligned_new_50_vids</c>.</summary>
    public string CropFolderName { get; }

    public IReadOnlyList<ReliabilityStage> Stages { get; }

    public int Frames => Valence.Length;

    /// <summary>Returns how the face is degraded at <paramref name="frame"/>, or null when it is clean.</summary>
    public SyntheticDegradation? FaceDegradation(int frame) =>
        Stages.FirstOrDefault(stage => stage.IsFace && stage.Contains(frame))?.Degradation;

    /// <summary>Returns how this person's own audio is degraded at <paramref name="frame"/>, or null when it follows the labels.</summary>
    public SyntheticDegradation? AudioDegradation(int frame) =>
        Stages.FirstOrDefault(stage => !stage.IsFace && stage.Contains(frame))?.Degradation;

    /// <summary>Returns whether <paramref name="frame"/>'s annotation row is <c>-5,-5</c>.</summary>
    public bool IsNotAnnotated(int frame)
    {
        var (offset, length) = NotAnnotated.GetOffsetAndLength(Frames);
        return frame >= offset && frame < offset + length;
    }
}

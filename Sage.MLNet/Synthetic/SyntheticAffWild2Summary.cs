namespace Sage.MLNet.Synthetic;

/// <summary>Lists what <see cref="SyntheticAffWild2.Generate"/> wrote.</summary>
public sealed class SyntheticAffWild2Summary
{
    internal SyntheticAffWild2Summary(string root, int framesPerVideo, IReadOnlyList<string> trainVideoIds,
        IReadOnlyList<string> validationVideoIds, IReadOnlyList<string> testVideoIds, IReadOnlyList<string> videoFiles,
        string reliabilityFile, string testListFile)
    {
        Root = root;
        FramesPerVideo = framesPerVideo;
        TrainVideoIds = trainVideoIds;
        ValidationVideoIds = validationVideoIds;
        TestVideoIds = testVideoIds;
        VideoFiles = videoFiles;
        ReliabilityFile = reliabilityFile;
        TestListFile = testListFile;
    }

    /// <summary>Gets the full path of the copy's root folder, the one to pass to <see cref="AffWild2Catalog.LoadAffWild2"/>.</summary>
    public string Root { get; }

    /// <summary>Gets T, the number of frames of every video (and rows of every annotation file).</summary>
    public int FramesPerVideo { get; }

    /// <summary>Gets the Train split's video ids (annotation file names without <c>.txt</c>), sorted as the loader sorts them.</summary>
    public IReadOnlyList<string> TrainVideoIds { get; }

    /// <summary>Gets the Validation split's video ids, sorted as the loader sorts them.</summary>
    public IReadOnlyList<string> ValidationVideoIds { get; }

    /// <summary>Gets the Test split's video ids, in test-list order.</summary>
    public IReadOnlyList<string> TestVideoIds { get; }

    /// <summary>Gets the full path of every video file written; a <c>_left</c>/<c>_right</c> pair has one.</summary>
    public IReadOnlyList<string> VideoFiles { get; }

    /// <summary>Gets the full path of <c>synthetic_reliability.csv</c>, which lists the stretches where one modality is unreliable.</summary>
    public string ReliabilityFile { get; }

    /// <summary>Gets the full path of the Test split's list of video names.</summary>
    public string TestListFile { get; }
}

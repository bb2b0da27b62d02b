namespace Sage.MLNet.Synthetic;

/// <summary>
/// Writes a small synthetic Aff-Wild2 copy to disk in the real layout, with real JPEG face crops and real
/// video files whose face and sound follow the labels, and stages in which one of the two is unreliable.
/// </summary>
/// <remarks>
/// <para>What the copy holds below the root:</para>
/// <list type="table">
/// <listheader><term>Path</term><description>Content</description></listheader>
/// <item><term><c>6th_ABAW_Annotations/VA_Estimation_Challenge/Train_Set</c>, <c>/Validation_Set</c></term><description>
/// <c>&lt;video&gt;.txt</c>: the header <c>valence,arousal</c>, one row per frame of a smooth trajectory in [−1, 1], four decimals,
/// invariant culture; every other person has one stretch of <c>-5,-5</c> rows (about a twelfth of the video).</description></item>
/// <item><term><c>cropped_aligned/&lt;video&gt;/</c>, <c>cropped_aligned_new_50_vids/&lt;video&gt;/</c></term><description>
/// <c>00001.jpg</c> (frame 0) and on: a drawn face whose eyes open wider with arousal and whose mouth smiles (its middle lower)
/// with valence, with pixel noise; one frame in fifty (at least one) has no crop, never the last. The pair and every fourth video
/// use <c>cropped_aligned_new_50_vids</c>.</description></item>
/// <item><term><c>batch1/</c>, <c>batch2/</c>, <c>new_vids/</c></term><description>
/// <c>&lt;video&gt;.mp4</c> (the second video <c>.avi</c>): T 160 × 120 H.264 frames showing the crops, and 16 kHz mono audio
/// (AAC in MP4, PCM in AVI),
/// a tone whose loudness follows arousal (amplitude 0.05 to 0.5) and whose pitch follows valence (110 to 440 Hz).
/// From two Train videos on, the last two are <c>&lt;video&gt;_left</c> and <c>_right</c>: two faces in one file, each with its own
/// trajectory, the audio following the left person.</description></item>
/// <item><term><c>names_of_videos_in_each_test_set/Valence_Arousal_Estimation_Challenge_test_set_release.txt</c></term><description>
/// The Test videos' names; their labels are in <c>synthetic_test_labels/</c>, outside the challenge folders.</description></item>
/// <item><term><c>synthetic_reliability.csv</c></term><description>
/// <c>video,first_frame,last_frame,unreliable_modality,condition</c>: frames counted from 0, both ends included; modality
/// <c>face</c> (condition <c>occluded</c>, a uniform grey box, or <c>blurred</c>) or <c>audio</c> (<c>silent</c>, <c>noise</c>, or
/// <c>other_speaker</c> for the right person of the pair, whole video). Outside its stages a modality follows the labels.</description></item>
/// </list>
/// <para>
/// Stages alternate clean and degraded, each an eighth to a quarter of the video; their kinds rotate from person to person, so
/// any four consecutive people show all four. Files are written one video at a time on the calling thread; ffmpeg encodes
/// single-threaded with bitexact flags, so the same seed and options give byte-identical annotation files and crops, and
/// identical decoded audio, on any machine with the same ffmpeg.
/// </para>
/// </remarks>
public static class SyntheticAffWild2
{
    /// <summary>Returns a summary of the copy it writes below <paramref name="root"/>, which must be missing or empty.</summary>
    /// <param name="root">The folder to write the copy into; created when missing.</param>
    /// <param name="options">Counts, length, frame rate, crop size and seed; null uses the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="root"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the parameter name names it.</exception>
    /// <exception cref="IOException"><paramref name="root"/> already holds files or folders.</exception>
    /// <exception cref="FileNotFoundException">ffmpeg is not in <see cref="SyntheticAffWild2Options.FFMpegBinaryFolder"/> (or not on PATH).</exception>
    /// <exception cref="InvalidOperationException">ffmpeg failed to encode a video; the message carries its last error lines.</exception>
    public static SyntheticAffWild2Summary Generate(string root, SyntheticAffWild2Options? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        options ??= new SyntheticAffWild2Options();
        SyntheticAffWild2OptionsCheck.Validate(options);
        var frames = SyntheticAffWild2OptionsCheck.FrameCount(options);
        var fullRoot = Path.GetFullPath(root);
        if (Directory.Exists(fullRoot) && Directory.EnumerateFileSystemEntries(fullRoot).Any())
        {
            throw new IOException($"The synthetic Aff-Wild2 root '{fullRoot}' is not empty; choose a new or empty folder");
        }
        var ffOptions = SyntheticAffWild2OptionsCheck.FindFFMpeg(options.FFMpegBinaryFolder);
        Directory.CreateDirectory(fullRoot);

        var videos = SyntheticCopyPlan.Create(options, frames);
        var writer = new SyntheticVideoWriter(ffOptions, options.FramesPerSecond, options.CropSize);
        var people = videos.SelectMany(video => video.People).ToList();
        var videoFiles = new List<string>();
        foreach (var video in videos)
        {
            videoFiles.Add(writer.Write(video, fullRoot));
            foreach (var person in video.People)
            {
                SyntheticCopyFiles.WriteAnnotation(fullRoot, person);
            }
        }
        IReadOnlyList<string> Ids(AffWild2Split split) =>
            [.. people.Where(person => person.Split == split).Select(person => person.VideoId)];
        var testIds = Ids(AffWild2Split.Test);
        var testList = SyntheticCopyFiles.WriteTestList(fullRoot, testIds);
        var reliability = SyntheticCopyFiles.WriteReliability(fullRoot, people);
        return new SyntheticAffWild2Summary(fullRoot, frames,
            [.. Ids(AffWild2Split.Train).Order(StringComparer.Ordinal)],
            [.. Ids(AffWild2Split.Validation).Order(StringComparer.Ordinal)],
            testIds, videoFiles, reliability, testList);
    }
}

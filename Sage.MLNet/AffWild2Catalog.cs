using Microsoft.ML;
using Sage.MLNet.Data.AffWild2;

namespace Sage.MLNet;

/// <summary>Extension methods that read an Aff-Wild2 copy, laid out as the ABAW challenge ships it, into ML.NET.</summary>
public static class AffWild2Catalog
{
    /// <summary>Returns one row per video of an Aff-Wild2 split: its face-crop folder, video file and per-frame valence and arousal.</summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="root">A folder that holds the copy somewhere below it, up to four folders deep.</param>
    /// <param name="split">Which videos to read.</param>
    /// <remarks>
    /// <para>
    /// The folders are found by name anywhere below <paramref name="root"/>, whatever the top folders are called:
    /// annotations in <c>VA_Estimation_Challenge/Train_Set</c> and <c>/Validation_Set</c> (older copies:
    /// <c>VA_Set/...</c>), one <c>&lt;video&gt;.txt</c> per video with the header <c>valence,arousal</c> and one
    /// line per frame; face crops in <c>cropped_aligned/&lt;video&gt;/</c> or <c>cropped_aligned_new_50_vids/&lt;video&gt;/</c>;
    /// videos in <c>batch1/</c>, <c>batch2/</c> and <c>new_vids/</c> as <c>.mp4</c> or <c>.avi</c>; the Test split's names in
    /// <c>names_of_videos_in_each_test_set/Valence_Arousal_Estimation_Challenge_test_set_release.txt</c>.
    /// Where a name occurs twice, <c>VA_Estimation_Challenge</c> wins over <c>VA_Set</c>, then the shallower folder.
    /// </para>
    /// <list type="table">
    /// <listheader><term>Column</term><description>Type and meaning</description></listheader>
    /// <item><term><c>VideoId</c></term><description>Text: the annotation file's name without <c>.txt</c> (or the test list's name), such as <c>10-60-1280x720_right</c>.</description></item>
    /// <item><term><c>FaceFolder</c></term><description>Text: the folder of the video's face crops, empty when there is none.</description></item>
    /// <item><term><c>VideoFile</c></term><description>Text: the video file, empty when there is none. <c>&lt;video&gt;_left</c> and <c>&lt;video&gt;_right</c> (two people in one video) share <c>&lt;video&gt;.mp4</c> or <c>.avi</c>.</description></item>
    /// <item><term><c>Valence</c>, <c>Arousal</c></term><description>Variable-length vector of Single: T labels, element i from line i + 2 of the annotation file, −5 (not annotated) kept as −5. Empty in the Test split.</description></item>
    /// <item><term><c>FrameCount</c></term><description>Int32: T.</description></item>
    /// </list>
    /// <para>
    /// T follows the annotation file: frames of the video beyond its last row are ignored, and rows beyond the
    /// video's end are kept (they will have no face crop). Crop file <c>00001.jpg</c> holds frame 0; numbers are
    /// missing where no face was found. In the Test split, which has no labels, T is the highest crop file
    /// number, and 0 when the video has no crops. <see cref="ValidateAffWild2"/> compares T with the video's own
    /// frame count.
    /// </para>
    /// <para>
    /// Every annotation file is read once here, so a malformed one fails this call; the data view then reads a
    /// video's file again only when its row is reached, so memory holds one video's labels at a time.
    /// Call <see cref="ValidateAffWild2"/> first to list every problem of a copy instead of the first.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="root"/> is empty, or <paramref name="split"/> is not a defined value.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist, or holds no annotation folder for the split; the message names <paramref name="root"/> and the folders looked for.</exception>
    /// <exception cref="FileNotFoundException">The Test split's list lies nowhere below <paramref name="root"/>; the message names the file looked for.</exception>
    /// <exception cref="InvalidDataException">An annotation file is malformed, naming the file and the line; or the split names no video.</exception>
    public static IDataView LoadAffWild2(this DataOperationsCatalog catalog, string root, AffWild2Split split)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckArguments(root, split);
        var videos = AffWild2Layout.Find(root).Videos(split);
        AffWild2Rows.CheckAnnotations(videos);
        return catalog.LoadFromEnumerable(AffWild2Rows.Read(videos));
    }

    /// <summary>Returns what is missing or inconsistent in an Aff-Wild2 split, video by video, without throwing for any of it.</summary>
    /// <param name="catalog">The data operations catalog.</param>
    /// <param name="root">A folder that holds the copy somewhere below it, up to four folders deep.</param>
    /// <param name="split">Which videos to check.</param>
    /// <param name="compareVideoFrameCounts">
    /// Whether to compare each video's frame count with the annotation's rows. A frame is a frame ffmpeg decodes (as everywhere in
    /// this library), but a video is decoded only when ffprobe's header estimate (duration × frame rate, about a tenth of a second
    /// per file) disagrees with its annotation, so a clean copy costs no decoding and a warning gives the decoded count. When
    /// ffprobe is not installed the comparison is skipped with a warning.
    /// </param>
    /// <remarks>
    /// <para>Errors: a malformed annotation line (not two numbers, three columns, NaN, a value outside [−1, 1] other
    /// than −5), named by file and line, up to ten per file; a missing <c>valence,arousal</c> header; a video without a
    /// face-crop folder; in the Test split, a video without any crop (its T would be 0); a video file ffprobe cannot read
    /// (its audio cannot be featurised); no annotation folder or test list for the split at all (an issue with no video).</para>
    /// <para>Warnings: no video file (only audio featurisation needs it); an empty face-crop folder; face crops
    /// numbered beyond the annotation's rows (those frames are ignored); a video, or the split itself, found in two places;
    /// an annotation whose rows differ from the video's frame count (common in real copies, by a few frames). T follows
    /// the annotation: the video's frames past its last row are ignored, and rows past the video's end have no face crop
    /// and take the audio features of the video's last moment. The frame count is estimated from the header as
    /// duration × average frame rate.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="root"/> is empty, or <paramref name="split"/> is not a defined value.</exception>
    public static AffWild2ValidationReport ValidateAffWild2(this DataOperationsCatalog catalog, string root, AffWild2Split split,
        bool compareVideoFrameCounts = true)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckArguments(root, split);
        return AffWild2Validator.Validate(root, split, compareVideoFrameCounts);
    }

    private static void CheckArguments(string root, AffWild2Split split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Enum.IsDefined(split))
        {
            throw new ArgumentOutOfRangeException(nameof(split), split, $"'{split}' is not an {nameof(AffWild2Split)}");
        }
    }
}

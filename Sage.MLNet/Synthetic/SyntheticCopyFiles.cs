using System.Globalization;
using System.Text;

using Sage.MLNet.Data.AffWild2;
using Sage.MLNet.Evaluation.Corruption;

namespace Sage.MLNet.Synthetic;

/// <summary>Writes the text files of a synthetic copy: annotation files, the test list and the reliability side file.</summary>
internal static class SyntheticCopyFiles
{
    /// <summary>The folder of the Train and Validation annotation folders, named as in the ABAW 6 release.</summary>
    public const string AnnotationRoot = "6th_ABAW_Annotations/VA_Estimation_Challenge";

    /// <summary>The Test videos' labels, kept out of the challenge folders (as the challenge keeps them from its entrants) for scoring predictions.</summary>
    public const string TestLabelFolder = "synthetic_test_labels";

    /// <summary>The reliability side file's name, at the copy's root.</summary>
    public const string ReliabilityFileName = "synthetic_reliability.csv";

    /// <summary>The reliability side file's header: the corruption ground truth's format (frames from 0, both ends included).</summary>
    public const string ReliabilityHeader = GroundTruthFile.Header;

    // LF line ends on every system, so that the same seed gives the same bytes everywhere.
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="person"/>'s annotation file where its split belongs and returns its path.</summary>
    public static string WriteAnnotation(string root, SyntheticPerson person)
    {
        var folder = person.Split switch
        {
            AffWild2Split.Train => Path.Combine(root, AnnotationRoot, "Train_Set"),
            AffWild2Split.Validation => Path.Combine(root, AnnotationRoot, "Validation_Set"),
            _ => Path.Combine(root, TestLabelFolder),
        };
        var text = new StringBuilder(AnnotationFile.Header).Append('\n');
        for (var t = 0; t < person.Frames; t++)
        {
            if (person.IsNotAnnotated(t))
            {
                text.Append("-5,-5\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{Label(person.Valence[t])},{Label(person.Arousal[t])}\n");
            }
        }
        return Write(Path.Combine(folder, person.VideoId + ".txt"), text.ToString());
    }

    /// <summary>Writes the Test split's list of names and returns its path.</summary>
    public static string WriteTestList(string root, IEnumerable<string> videoIds) =>
        Write(Path.Combine(root, TestVideoList.FolderName, TestVideoList.FileName), string.Concat(videoIds.Select(id => id + "\n")));

    /// <summary>Writes one row per reliability stage of every person and returns the file's path.</summary>
    public static string WriteReliability(string root, IEnumerable<SyntheticPerson> people)
    {
        var text = new StringBuilder(ReliabilityHeader).Append('\n');
        foreach (var person in people)
        {
            foreach (var stage in person.Stages.OrderBy(stage => stage.FirstFrame))
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{person.VideoId},{stage.FirstFrame},{stage.LastFrame},{(stage.IsFace ? "face" : "audio")},{ConditionName(stage.Degradation)}\n");
            }
        }
        return Write(Path.Combine(root, ReliabilityFileName), text.ToString());
    }

    /// <summary>Returns the side file's name for a degradation: occluded, blurred, silent, noise or other_speaker.</summary>
    public static string ConditionName(SyntheticDegradation degradation) => degradation switch
    {
        SyntheticDegradation.FaceOccluded => "occluded",
        SyntheticDegradation.FaceBlurred => "blurred",
        SyntheticDegradation.AudioSilent => "silent",
        SyntheticDegradation.AudioNoise => "noise",
        _ => "other_speaker",
    };

    // Four decimals, like the real files' precision, and no "-0".
    private static string Label(double value) => (Math.Round(value, 4) + 0.0).ToString("0.0###", CultureInfo.InvariantCulture);

    private static string Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, s_utf8);
        return path;
    }
}

using System.Globalization;
using Microsoft.ML;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>Reads the splits of an Aff-Wild2 copy, giving the Test split labels from a folder of annotation files when there is one.</summary>
internal static class AffWild2Data
{
    /// <summary>The folder of a synthetic copy that holds its Test videos' labels, outside the challenge folders.</summary>
    public const string SyntheticTestLabelFolder = "synthetic_test_labels";

    /// <summary>Returns the split's video rows and how many there are.</summary>
    public static (IDataView Videos, int Count) Load(MLContext ml, string root, AffWild2Split split)
    {
        var videos = ml.Data.LoadAffWild2(root, split);
        return (videos, ml.Data.CreateEnumerable<RawVideo>(videos, reuseRowObject: true).Count());
    }

    /// <summary>Returns the Test split's rows with labels read from <c>&lt;labelFolder&gt;/&lt;video&gt;.txt</c> (header <c>valence,arousal</c>, one line per frame).</summary>
    public static (IDataView Videos, int Count) LoadLabelledTest(MLContext ml, string root, string labelFolder)
    {
        if (!Directory.Exists(labelFolder))
        {
            throw new DirectoryNotFoundException($"Could not find the Test labels folder '{labelFolder}'");
        }
        var videos = ml.Data.CreateEnumerable<RawVideo>(ml.Data.LoadAffWild2(root, AffWild2Split.Test), reuseRowObject: false).ToList();
        foreach (var video in videos)
        {
            (video.Valence, video.Arousal) = ReadLabels(Path.Combine(labelFolder, video.VideoId + ".txt"), video.FrameCount);
        }
        return (ml.Data.LoadFromEnumerable(videos), videos.Count);
    }

    private static (float[] Valence, float[] Arousal) ReadLabels(string path, int frameCount)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Could not find the labels '{path}' of a Test video", path);
        }
        var lines = File.ReadAllLines(path).Skip(1).Where(line => line.Length > 0).ToArray();
        if (lines.Length != frameCount)
        {
            throw new InvalidDataException($"labels '{path}' have {lines.Length} rows but the video has {frameCount} frames");
        }
        var valence = new float[lines.Length];
        var arousal = new float[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            if (parts.Length != 2
                || !float.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out valence[i])
                || !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out arousal[i]))
            {
                throw new InvalidDataException($"labels '{path}' line {i + 2}: expected two numbers 'valence,arousal', got '{lines[i]}'");
            }
        }
        return (valence, arousal);
    }
}

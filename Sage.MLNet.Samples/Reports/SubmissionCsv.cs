using System.Globalization;
using System.Text;
using Sage.MLNet.Samples.Workflow;

namespace Sage.MLNet.Samples.Reports;

/// <summary>Writes predictions in the ABAW valence-arousal submission format: <c>image_location,valence,arousal</c>, one row per frame.</summary>
/// <remarks>The image location is <c>&lt;video&gt;/&lt;frame + 1, five digits&gt;.jpg</c>, the crop file the frame has in Aff-Wild2.</remarks>
internal static class SubmissionCsv
{
    /// <summary>The first line of the file.</summary>
    public const string Header = "image_location,valence,arousal";

    /// <summary>Writes every frame of every video to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<ScoredVideo> videos)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var video in videos)
        {
            for (var t = 0; t < video.PredictedValence.Length; t++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{video.VideoId}/{t + 1:D5}.jpg,{video.PredictedValence[t]:0.######},{video.PredictedArousal[t]:0.######}\n");
            }
        }
        File.WriteAllText(path, text.ToString());
    }
}

namespace Sage.MLNet.Data.AffWild2;

/// <summary>
/// Makes the rows of <see cref="AffWild2Catalog.LoadAffWild2"/> one video at a time, reading a video's
/// annotation file (or, in the Test split, listing its face crops) only when its row is reached.
/// </summary>
internal static class AffWild2Rows
{
    /// <summary>Reads every annotation file once and throws for the first malformed one, so that a bad file fails the load rather than a later pass over the data.</summary>
    /// <exception cref="InvalidDataException">An annotation file is malformed; the message names the file and the line.</exception>
    public static void CheckAnnotations(IEnumerable<AffWild2Video> videos)
    {
        foreach (var video in videos)
        {
            if (video.AnnotationFile is not null)
            {
                AnnotationFile.Read(video.AnnotationFile).ThrowIfMalformed();
            }
        }
    }

    /// <summary>Yields one row per video, anew on every enumeration; memory holds one video's labels at a time.</summary>
    public static IEnumerable<Row> Read(IReadOnlyList<AffWild2Video> videos)
    {
        foreach (var video in videos)
        {
            var row = new Row { VideoId = video.VideoId, FaceFolder = video.FaceFolder, VideoFile = video.VideoFile };
            if (video.AnnotationFile is null)
            {
                row.FrameCount = video.FaceFolder.Length == 0 ? 0 : FaceCropFolder.HighestIndex(video.FaceFolder);
            }
            else
            {
                var annotation = AnnotationFile.Read(video.AnnotationFile);
                // CheckAnnotations passed at load time; this throws only for a file changed since.
                annotation.ThrowIfMalformed();
                row.Valence = annotation.Valence;
                row.Arousal = annotation.Arousal;
                row.FrameCount = annotation.Rows;
            }
            yield return row;
        }
    }

    /// <summary>The row type ML.NET's LoadFromEnumerable turns into columns; property names are the column names.</summary>
    public sealed class Row
    {
        public string VideoId { get; set; } = "";

        public string FaceFolder { get; set; } = "";

        public string VideoFile { get; set; } = "";

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];

        public int FrameCount { get; set; }
    }
}

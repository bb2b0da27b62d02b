namespace Sage.MLNet.Data;

/// <summary>One video's features and, when present, its labels, as read from one row.</summary>
/// <param name="Name">How errors name the video: its VideoId when the data has one, else its row number.</param>
/// <param name="Frames">T, the number of frames.</param>
/// <param name="Visual">T × Dv values, frame-major.</param>
/// <param name="Audio">T × Da values, frame-major.</param>
/// <param name="Valence">T labels, or null when labels were not read.</param>
/// <param name="Arousal">T labels, or null when labels were not read.</param>
/// <param name="FaceFound">T values, 0 where the frame had no face crop and 1 where it had one; null when not read (every frame counts).</param>
internal sealed record SageVideo(string Name, int Frames, float[] Visual, float[] Audio, float[]? Valence, float[]? Arousal,
    float[]? FaceFound = null);

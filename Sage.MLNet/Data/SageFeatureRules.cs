using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// The rules a row must follow to be a video, shared by training (<see cref="SageVideoReader"/>) and
/// prediction (<see cref="ValidatedFeaturesDataView"/>): each failure is an <see cref="InvalidDataException"/>
/// that names the video, the column and the offending size or value.
/// </summary>
internal static class SageFeatureRules
{
    /// <summary>Returns the text column <see cref="SageColumns.VideoId"/> when the data has one, else null.</summary>
    public static DataViewSchema.Column? VideoIdColumn(DataViewSchema schema) =>
        schema.GetColumnOrNull(SageColumns.VideoId) is { Type: TextDataViewType } column ? column : null;

    /// <summary>Returns how errors name a row: its VideoId when it has one, else its row number.</summary>
    public static string VideoName(long row, ReadOnlyMemory<char> videoId) =>
        videoId.IsEmpty ? $"row {row}" : $"video '{videoId}' (row {row})";

    /// <summary>Checks one row's features and returns its frame count T.</summary>
    /// <param name="values">T × <paramref name="frameSize"/> values, frame-major.</param>
    /// <param name="video">Gives the row's name (see <see cref="VideoName"/>), asked only when the row is bad.</param>
    /// <param name="column">The column the values come from.</param>
    /// <param name="frameSize">Features per frame.</param>
    public static int CheckFeatures(in VBuffer<float> values, Func<string> video, string column, int frameSize)
    {
        if (values.Length == 0)
        {
            throw new InvalidDataException($"{video()}: column '{column}' is empty; a video needs at least one frame");
        }
        if (values.Length % frameSize != 0)
        {
            throw new InvalidDataException(
                $"{video()}: column '{column}' has {values.Length} values, which is not a whole number of frames of {frameSize} features");
        }
        var bad = FirstNonFinite(values, out var value);
        if (bad >= 0)
        {
            throw new InvalidDataException(
                $"{video()}: column '{column}' has {value} at frame {bad / frameSize}, feature {bad % frameSize}; features must be finite");
        }
        return values.Length / frameSize;
    }

    /// <summary>Checks that both modalities of a row cover the same frames.</summary>
    public static void CheckSameFrames(Func<string> video, string audioColumn, int audioFrames, string visualColumn, int visualFrames)
    {
        if (audioFrames != visualFrames)
        {
            throw new InvalidDataException(
                $"{video()}: column '{audioColumn}' holds {audioFrames} frames but column '{visualColumn}' holds {visualFrames}");
        }
    }

    /// <summary>Checks one row's labels: one finite value per frame (−5 = not annotated).</summary>
    public static void CheckLabels(in VBuffer<float> values, Func<string> video, string column, int frames)
    {
        if (values.Length != frames)
        {
            throw new InvalidDataException($"{video()}: column '{column}' has {values.Length} labels but the video has {frames} frames");
        }
        var bad = FirstNonFinite(values, out var value);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{video()}: column '{column}' has {value} at frame {bad}; labels must be finite (−5 = not annotated)");
        }
    }

    /// <summary>Checks one row's face flags: one value per frame, each 0 (no face) or 1 (a face).</summary>
    public static void CheckFaceFound(in VBuffer<float> values, Func<string> video, string column, int frames)
    {
        if (values.Length != frames)
        {
            throw new InvalidDataException($"{video()}: column '{column}' has {values.Length} values but the video has {frames} frames");
        }
        var stored = values.GetValues();
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] != 0 && stored[i] != 1)
            {
                var frame = values.IsDense ? i : values.GetIndices()[i];
                throw new InvalidDataException(
                    $"{video()}: column '{column}' has {stored[i]} at frame {frame}; face flags must be 0 (no face) or 1 (a face)");
            }
        }
    }

    /// <summary>Returns the logical index of the first NaN or infinity, or −1; a sparse vector's implicit zeros are finite.</summary>
    private static int FirstNonFinite(in VBuffer<float> values, out float value)
    {
        var stored = values.GetValues();
        for (var i = 0; i < stored.Length; i++)
        {
            if (!float.IsFinite(stored[i]))
            {
                value = stored[i];
                return values.IsDense ? i : values.GetIndices()[i];
            }
        }
        value = 0;
        return -1;
    }
}

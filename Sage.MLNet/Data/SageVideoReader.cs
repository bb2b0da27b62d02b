using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// Streams the rows of an <see cref="IDataView"/> as <see cref="SageVideo"/>s, one row at a time, and
/// rejects a row whose sizes or values cannot be a video, naming the video, the column and the value.
/// </summary>
internal sealed class SageVideoReader
{
    private readonly IDataView _data;
    private readonly SageOptions _options;
    private readonly bool _withLabels;

    public SageVideoReader(IDataView data, SageOptions options, bool withLabels)
    {
        SageColumns.CheckFeatures(data.Schema, options);
        if (withLabels)
        {
            SageColumns.CheckLabels(data.Schema, options);
        }
        _data = data;
        _options = options;
        _withLabels = withLabels;
    }

    /// <summary>Reads every row; with a <paramref name="shuffle"/> source the rows come in random order where the data allows it.</summary>
    public IEnumerable<SageVideo> Read(Random? shuffle = null)
    {
        var schema = _data.Schema;
        var visualColumn = schema[_options.VisualFeaturesColumnName];
        var audioColumn = schema[_options.AudioFeaturesColumnName];
        var columns = new List<DataViewSchema.Column> { visualColumn, audioColumn };
        var idColumn = schema.GetColumnOrNull(SageColumns.VideoId);
        if (idColumn is { Type: TextDataViewType })
        {
            columns.Add(idColumn.Value);
        }
        else
        {
            idColumn = null;
        }
        if (_withLabels)
        {
            columns.Add(schema[_options.ValenceColumnName]);
            columns.Add(schema[_options.ArousalColumnName]);
        }

        using var cursor = shuffle is not null && _data.CanShuffle
            ? _data.GetRowCursor(columns, shuffle)
            : _data.GetRowCursor(columns);
        var visualGetter = cursor.GetGetter<VBuffer<float>>(visualColumn);
        var audioGetter = cursor.GetGetter<VBuffer<float>>(audioColumn);
        var idGetter = idColumn is null ? null : cursor.GetGetter<ReadOnlyMemory<char>>(idColumn.Value);
        var valenceGetter = _withLabels ? cursor.GetGetter<VBuffer<float>>(schema[_options.ValenceColumnName]) : null;
        var arousalGetter = _withLabels ? cursor.GetGetter<VBuffer<float>>(schema[_options.ArousalColumnName]) : null;
        VBuffer<float> buffer = default;
        ReadOnlyMemory<char> id = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            idGetter?.Invoke(ref id);
            var name = idGetter is null || id.IsEmpty ? $"row {row}" : $"video '{id}' (row {row})";
            var visual = ReadFeatures(visualGetter, ref buffer, name, _options.VisualFeaturesColumnName, _options.VisualFeatureSize);
            var audio = ReadFeatures(audioGetter, ref buffer, name, _options.AudioFeaturesColumnName, _options.AudioFeatureSize);
            var frames = visual.Length / _options.VisualFeatureSize;
            if (audio.Length / _options.AudioFeatureSize != frames)
            {
                throw new InvalidDataException(
                    $"{name}: column '{_options.AudioFeaturesColumnName}' holds {audio.Length / _options.AudioFeatureSize} frames " +
                    $"but column '{_options.VisualFeaturesColumnName}' holds {frames}");
            }
            float[]? valence = null, arousal = null;
            if (_withLabels)
            {
                valence = ReadLabels(valenceGetter!, ref buffer, name, _options.ValenceColumnName, frames);
                arousal = ReadLabels(arousalGetter!, ref buffer, name, _options.ArousalColumnName, frames);
            }
            yield return new SageVideo(name, frames, visual, audio, valence, arousal);
            row++;
        }
    }

    private static float[] ReadFeatures(ValueGetter<VBuffer<float>> getter, ref VBuffer<float> buffer, string video, string column, int size)
    {
        getter(ref buffer);
        if (buffer.Length == 0)
        {
            throw new InvalidDataException($"{video}: column '{column}' is empty; a video needs at least one frame");
        }
        if (buffer.Length % size != 0)
        {
            throw new InvalidDataException(
                $"{video}: column '{column}' has {buffer.Length} values, which is not a whole number of frames of {size} features");
        }
        var values = new float[buffer.Length];
        buffer.CopyTo(values);
        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidDataException(
                $"{video}: column '{column}' has {values[bad]} at frame {bad / size}, feature {bad % size}; features must be finite");
        }
        return values;
    }

    private static float[] ReadLabels(ValueGetter<VBuffer<float>> getter, ref VBuffer<float> buffer, string video, string column, int frames)
    {
        getter(ref buffer);
        if (buffer.Length != frames)
        {
            throw new InvalidDataException($"{video}: column '{column}' has {buffer.Length} labels but the video has {frames} frames");
        }
        var values = new float[frames];
        buffer.CopyTo(values);
        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidDataException($"{video}: column '{column}' has {values[bad]} at frame {bad}; labels must be finite (−5 = not annotated)");
        }
        return values;
    }
}

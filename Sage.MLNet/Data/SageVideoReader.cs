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
    private readonly string? _faceFoundColumn;

    /// <param name="data">One row per video.</param>
    /// <param name="options">Column names and feature sizes.</param>
    /// <param name="withLabels">Whether to read the valence and arousal labels.</param>
    /// <param name="withFaceFound">Whether to read, with the labels, the column of <see cref="SageOptions.FaceFoundColumnName"/> when it is set.</param>
    public SageVideoReader(IDataView data, SageOptions options, bool withLabels, bool withFaceFound = false)
    {
        SageColumns.CheckFeatures(data.Schema, options);
        if (withLabels)
        {
            SageColumns.CheckLabels(data.Schema, options);
            if (withFaceFound)
            {
                SageColumns.CheckFaceFound(data.Schema, options);
            }
        }
        _data = data;
        _options = options;
        _withLabels = withLabels;
        _faceFoundColumn = withLabels && withFaceFound ? options.FaceFoundColumnName : null;
    }

    /// <summary>Reads every row; with a <paramref name="shuffle"/> source the rows come in random order where the data allows it.</summary>
    public IEnumerable<SageVideo> Read(Random? shuffle = null)
    {
        var schema = _data.Schema;
        var visualColumn = schema[_options.VisualFeaturesColumnName];
        var audioColumn = schema[_options.AudioFeaturesColumnName];
        var columns = new List<DataViewSchema.Column> { visualColumn, audioColumn };
        var idColumn = SageFeatureRules.VideoIdColumn(schema);
        if (idColumn is not null)
        {
            columns.Add(idColumn.Value);
        }
        if (_withLabels)
        {
            columns.Add(schema[_options.ValenceColumnName]);
            columns.Add(schema[_options.ArousalColumnName]);
        }
        if (_faceFoundColumn is not null)
        {
            columns.Add(schema[_faceFoundColumn]);
        }

        using var cursor = shuffle is not null && _data.CanShuffle
            ? _data.GetRowCursor(columns, shuffle)
            : _data.GetRowCursor(columns);
        var visualGetter = cursor.GetGetter<VBuffer<float>>(visualColumn);
        var audioGetter = cursor.GetGetter<VBuffer<float>>(audioColumn);
        var idGetter = idColumn is null ? null : cursor.GetGetter<ReadOnlyMemory<char>>(idColumn.Value);
        var valenceGetter = _withLabels ? cursor.GetGetter<VBuffer<float>>(schema[_options.ValenceColumnName]) : null;
        var arousalGetter = _withLabels ? cursor.GetGetter<VBuffer<float>>(schema[_options.ArousalColumnName]) : null;
        var faceFoundGetter = _faceFoundColumn is null ? null : cursor.GetGetter<VBuffer<float>>(schema[_faceFoundColumn]);
        VBuffer<float> buffer = default;
        ReadOnlyMemory<char> id = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            idGetter?.Invoke(ref id);
            var name = SageFeatureRules.VideoName(row, id);
            var video = () => name;
            var visual = ReadFeatures(visualGetter, ref buffer, video, _options.VisualFeaturesColumnName, _options.VisualFeatureSize);
            var audio = ReadFeatures(audioGetter, ref buffer, video, _options.AudioFeaturesColumnName, _options.AudioFeatureSize);
            var frames = visual.Length / _options.VisualFeatureSize;
            SageFeatureRules.CheckSameFrames(video, _options.AudioFeaturesColumnName, audio.Length / _options.AudioFeatureSize,
                _options.VisualFeaturesColumnName, frames);
            float[]? valence = null, arousal = null, faceFound = null;
            if (_withLabels)
            {
                valence = ReadLabels(valenceGetter!, ref buffer, video, _options.ValenceColumnName, frames);
                arousal = ReadLabels(arousalGetter!, ref buffer, video, _options.ArousalColumnName, frames);
            }
            if (faceFoundGetter is not null)
            {
                faceFoundGetter(ref buffer);
                SageFeatureRules.CheckFaceFound(buffer, video, _faceFoundColumn!, frames);
                faceFound = new float[frames];
                buffer.CopyTo(faceFound);
            }
            yield return new SageVideo(name, frames, visual, audio, valence, arousal, faceFound);
            row++;
        }
    }

    private static float[] ReadFeatures(ValueGetter<VBuffer<float>> getter, ref VBuffer<float> buffer, Func<string> video, string column, int size)
    {
        getter(ref buffer);
        SageFeatureRules.CheckFeatures(buffer, video, column, size);
        var values = new float[buffer.Length];
        buffer.CopyTo(values);
        return values;
    }

    private static float[] ReadLabels(ValueGetter<VBuffer<float>> getter, ref VBuffer<float> buffer, Func<string> video, string column, int frames)
    {
        getter(ref buffer);
        SageFeatureRules.CheckLabels(buffer, video, column, frames);
        var values = new float[frames];
        buffer.CopyTo(values);
        return values;
    }
}

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
    /// <param name="shuffle">Shuffles the rows where the data allows it; null reads them in order.</param>
    /// <param name="streamFeatures">
    /// Whether each video's features come as frame-range readers (<see cref="SageVideo.VisualFrames"/>) instead of arrays
    /// of their own: straight from where they are stored when the cursor allows it (<see cref="IFrameRangeCursor"/>: the
    /// feature cache's rows, and the featurizers' rows for videos their cache holds), else from the column's buffer, which the next row reuses, instead of a copy. Such a video is
    /// valid only until the next is asked for: its readers are then completed (a cache file's hash checked) and closed.
    /// </param>
    public IEnumerable<SageVideo> Read(Random? shuffle = null, bool streamFeatures = false)
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
        var ranges = streamFeatures ? cursor as IFrameRangeCursor : null;
        VBuffer<float> buffer = default, visualBuffer = default, audioBuffer = default;
        ReadOnlyMemory<char> id = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            idGetter?.Invoke(ref id);
            var name = SageFeatureRules.VideoName(row, id);
            var video = () => name;
            using var visualFrames = streamFeatures ? StreamFrames(ranges, visualColumn, visualGetter, ref visualBuffer, video, _options.VisualFeatureSize) : null;
            using var audioFrames = streamFeatures ? StreamFrames(ranges, audioColumn, audioGetter, ref audioBuffer, video, _options.AudioFeatureSize) : null;
            var visual = visualFrames is null ? ReadFeatures(visualGetter, ref buffer, video, _options.VisualFeaturesColumnName, _options.VisualFeatureSize) : [];
            var audio = audioFrames is null ? ReadFeatures(audioGetter, ref buffer, video, _options.AudioFeaturesColumnName, _options.AudioFeatureSize) : [];
            var frames = visualFrames?.Frames ?? visual.Length / _options.VisualFeatureSize;
            SageFeatureRules.CheckSameFrames(video, _options.AudioFeaturesColumnName, audioFrames?.Frames ?? audio.Length / _options.AudioFeatureSize,
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
            yield return new SageVideo(name, frames, visual, audio, valence, arousal, faceFound) { VisualFrames = visualFrames, AudioFrames = audioFrames };
            visualFrames?.Complete();
            audioFrames?.Complete();
            row++;
        }
    }

    /// <summary>
    /// Returns a row's features as frame ranges: opened where they are stored when the cursor can, else read into
    /// <paramref name="buffer"/> (reused by the next row) and checked whole, and read from there without a copy.
    /// </summary>
    private static IFrameRangeReader StreamFrames(IFrameRangeCursor? ranges, DataViewSchema.Column column, ValueGetter<VBuffer<float>> getter,
        ref VBuffer<float> buffer, Func<string> video, int size)
    {
        if (ranges is not null && OpenFrames(ranges, column, video, size) is { } opened)
        {
            return opened;
        }
        getter(ref buffer);
        SageFeatureRules.CheckFeatures(buffer, video, column.Name, size);
        if (!buffer.IsDense)
        {
            var dense = new float[buffer.Length];
            buffer.CopyTo(dense);
            return new BufferFrames(new VBuffer<float>(dense.Length, dense), size);
        }
        return new BufferFrames(buffer, size);
    }

    /// <summary>Opens a row's features for reading frame ranges, checked as they are read; null when the cursor cannot.</summary>
    private static CheckedFrames? OpenFrames(IFrameRangeCursor cursor, DataViewSchema.Column column, Func<string> video, int size)
    {
        var frames = cursor.OpenFrames(column);
        if (frames is null)
        {
            return null;
        }
        if (frames.Frames == 0 || frames.Width != size)
        {
            var (count, width) = (frames.Frames, frames.Width);
            frames.Dispose();
            throw new InvalidDataException(count == 0
                ? $"{video()}: column '{column.Name}' is empty; a video needs at least one frame"
                : $"{video()}: column '{column.Name}' has {width} values per frame, not {size}");
        }
        return new CheckedFrames(frames, video, column.Name);
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

    /// <summary>Passes frame ranges through, checking each value as <see cref="SageFeatureRules.CheckFeatures"/> checks a whole row.</summary>
    private sealed class CheckedFrames(IFrameRangeReader frames, Func<string> video, string column) : IFrameRangeReader
    {
        public int Frames => frames.Frames;

        public int Width => frames.Width;

        public void Read(int start, Span<float> target)
        {
            frames.Read(start, target);
            for (var i = 0; i < target.Length; i++)
            {
                if (!float.IsFinite(target[i]))
                {
                    throw new InvalidDataException(
                        $"{video()}: column '{column}' has {target[i]} at frame {start + i / Width}, feature {i % Width}; features must be finite");
                }
            }
        }

        public void Complete() => frames.Complete();

        public void Dispose() => frames.Dispose();
    }

    /// <summary>Frame ranges of a dense buffer that holds a whole row's values, already checked.</summary>
    private sealed class BufferFrames(VBuffer<float> values, int width) : IFrameRangeReader
    {
        public int Frames => values.Length / width;

        public int Width => width;

        public void Read(int start, Span<float> target) => values.GetValues().Slice(start * width, target.Length).CopyTo(target);

        public void Complete()
        {
        }

        public void Dispose()
        {
        }
    }
}

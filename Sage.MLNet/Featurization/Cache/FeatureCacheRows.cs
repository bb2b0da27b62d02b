using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Featurization.Cache;

/// <summary>One video of <see cref="FeatureCacheRows"/>: its id, its face and audio <c>.features</c> files, and T.</summary>
internal sealed record FeatureCacheVideo(string VideoId, string FacesFile, string AudioFile, int Frames);

/// <summary>
/// Rows of training data whose features stay in cache files until read: VideoId, the visual features and FaceFound of the
/// faces file, the audio features of the audio file, and the labels that <c>labels</c> gives. Any consumer gets whole
/// videos from the getters; the trainer instead reads each clip's frames straight from the files through
/// <see cref="IFrameRangeCursor"/>, so its memory does not follow the longest video. A missing or damaged file fails the
/// read with an <see cref="InvalidDataException"/> naming it.
/// </summary>
internal sealed class FeatureCacheRows : IDataView
{
    private readonly IReadOnlyList<FeatureCacheVideo> _videos;
    private readonly int _visualSize;
    private readonly int _audioSize;
    private readonly Func<FeatureCacheVideo, (float[] Valence, float[] Arousal)> _labels;

    /// <param name="videos">The rows, in order.</param>
    /// <param name="visualSize">Dv of the faces files.</param>
    /// <param name="audioSize">Da of the audio files.</param>
    /// <param name="labels">Gives a video's T valence and T arousal labels, called once per row read.</param>
    /// <param name="options">The column names, from <see cref="SageOptions"/>; FaceFound is named by <see cref="SageOptions.FaceFoundColumnName"/>, or "FaceFound" when that is null.</param>
    public FeatureCacheRows(IReadOnlyList<FeatureCacheVideo> videos, int visualSize, int audioSize,
        Func<FeatureCacheVideo, (float[] Valence, float[] Arousal)> labels, SageOptions options)
    {
        _videos = videos;
        _visualSize = visualSize;
        _audioSize = audioSize;
        _labels = labels;
        var vector = new VectorDataViewType(NumberDataViewType.Single);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(SageColumns.VideoId, TextDataViewType.Instance);
        builder.AddColumn(options.VisualFeaturesColumnName, vector);
        builder.AddColumn(options.FaceFoundColumnName ?? "FaceFound", vector);
        builder.AddColumn(options.AudioFeaturesColumnName, vector);
        builder.AddColumn(options.ValenceColumnName, vector);
        builder.AddColumn(options.ArousalColumnName, vector);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _videos.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(FeatureCacheRows rows, HashSet<int> active) : DataViewRowCursor, IFrameRangeCursor
    {
        private const int VideoIdIndex = 0, VisualIndex = 1, FaceFoundIndex = 2, AudioIndex = 3, ValenceIndex = 4, ArousalIndex = 5;
        private int _row = -1;
        private VideoFeatures? _faces, _audio;
        private FeatureCacheRangeReader? _facesRanges;
        private (float[] Valence, float[] Arousal)? _labels;

        public override long Position => _row;

        public override long Batch => 0;

        public override DataViewSchema Schema => rows.Schema;

        private FeatureCacheVideo Video => rows._videos[_row];

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext()
        {
            (_faces, _audio, _facesRanges, _labels) = (null, null, null, null);
            if (_row + 1 >= rows._videos.Count)
            {
                _row = rows._videos.Count;
                return false;
            }
            _row++;
            return true;
        }

        public IFrameRangeReader? OpenFrames(DataViewSchema.Column column) => column.Index switch
        {
            VisualIndex => _facesRanges = FeatureCacheRangeReader.Open(Video.FacesFile, Video.Frames, rows._visualSize, 1),
            AudioIndex => FeatureCacheRangeReader.Open(Video.AudioFile, Video.Frames, rows._audioSize, 0),
            _ => null,
        };

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == VideoIdIndex)
            {
                ValueGetter<ReadOnlyMemory<char>> id = (ref ReadOnlyMemory<char> value) => value = Video.VideoId.AsMemory();
                return (ValueGetter<TValue>)(Delegate)id;
            }
            ValueGetter<VBuffer<float>> getter = column.Index switch
            {
                VisualIndex => (ref VBuffer<float> value) => Set(ref value, Faces().Values),
                // The trainer's open range reader already holds FaceFound and checks it with the rest of the file.
                FaceFoundIndex => (ref VBuffer<float> value) => Set(ref value, _facesRanges?.Extra ?? Faces().Extra),
                AudioIndex => (ref VBuffer<float> value) => Set(ref value, Audio().Values),
                ValenceIndex => (ref VBuffer<float> value) => Set(ref value, Labels().Valence),
                ArousalIndex => (ref VBuffer<float> value) => Set(ref value, Labels().Arousal),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Name, $"column '{column.Name}' is not one of the feature cache rows' columns"),
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_row, 0);

        private VideoFeatures Faces() => _faces ??= Read(Video.FacesFile, rows._visualSize, 1);

        private VideoFeatures Audio() => _audio ??= Read(Video.AudioFile, rows._audioSize, 0);

        private (float[] Valence, float[] Arousal) Labels() => _labels ??= rows._labels(Video);

        private VideoFeatures Read(string path, int size, int extra) =>
            FeatureCacheFile.TryRead(path, Video.Frames, size, extra)
            ?? throw new InvalidDataException($"video '{Video.VideoId}': feature cache file '{path}' is missing, damaged or not {Video.Frames} frames × {size} values");

        private static void Set(ref VBuffer<float> value, float[] source)
        {
            var editor = VBufferEditor.Create(ref value, source.Length);
            source.CopyTo(editor.Values);
            value = editor.Commit();
        }
    }
}

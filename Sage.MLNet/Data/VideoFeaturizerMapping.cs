using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// Adds a featurizer's per-video outputs, variable-length vectors of Single, to rows that name a video (a file or a crop
/// folder) and its frame count, computing them once per row when a getter first asks. The getters lend the featurizer's
/// arrays instead of copying them into the caller's buffer: a 20-minute video's face features are 61 MB, and ML.NET's
/// CustomMapping, which this replaces, held them twice (its own array and the caller's copy).
/// </summary>
/// <remarks>
/// A lent array is the row's value until the cursor moves: callers read it and must not write into it (the windowed
/// scorer and ML.NET's transforms only read their input). <c>featurize</c> is called from several cursors at once when
/// ML.NET reads in parallel, so it must be thread-safe. The mapping is never saved: the featurizer transformers that use
/// it refuse <c>mlContext.Model.Save</c>; a model zip records their settings instead.
/// <para>With <c>openStored</c>, a cursor also offers its rows' first output as frame ranges (<see cref="IFrameRangeCursor"/>)
/// when the row's outputs are already stored (a filled feature cache), so the trainer copies each clip from the file and
/// no whole video is held; it passes the same request for any other column to its input cursor, so that two featurizers
/// in a row both stream. A row that is not stored gives null there, and the trainer reads it whole from the getters.</para>
/// </remarks>
internal sealed class VideoFeaturizerMapping : ITransformer
{
    private static readonly VectorDataViewType Vector = new(NumberDataViewType.Single);

    private readonly string _source;
    private readonly string _frameCount;
    private readonly string[] _outputs;
    private readonly Func<string, int, float[][]> _featurize;
    private readonly Func<string, int, StoredOutputs?>? _openStored;

    /// <param name="source">The column naming the video (text).</param>
    /// <param name="frameCount">The column holding T (Int32).</param>
    /// <param name="outputs">The columns added, in the order <paramref name="featurize"/> returns their arrays.</param>
    /// <param name="featurize">Maps a video and T to one array per output column.</param>
    /// <param name="openStored">Opens a video's outputs where they are stored, or returns null when they are not; null reads every row whole.</param>
    public VideoFeaturizerMapping(string source, string frameCount, IReadOnlyList<string> outputs, Func<string, int, float[][]> featurize,
        Func<string, int, StoredOutputs?>? openStored = null)
    {
        _openStored = openStored;
        _source = source;
        _frameCount = frameCount;
        _outputs = [.. outputs];
        _featurize = featurize;
    }

    public bool IsRowToRowMapper => true;

    /// <summary>Returns the input schema with the output columns appended (an output hides an input column of its name).</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var name in _outputs)
        {
            builder.AddColumn(name, Vector);
        }
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input) =>
        new MappedColumnsView(input, GetOutputSchema(input.Schema), [_source, _frameCount], cursor => new CurrentRow(this, cursor));

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema, GetOutputSchema(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("A featurizer's mapping is never saved: the model zip records its featurizer's settings instead");

    /// <summary>The input columns that the needed output columns read: the pass-through ones, and the video's two when an output is needed.</summary>
    private IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema input, IEnumerable<DataViewSchema.Column> needed) =>
        MappedColumnsView.Dependencies(input, needed, [_source, _frameCount]);

    /// <summary>The featurized outputs of one row at a time; shared by a cursor's or a mapped row's getters.</summary>
    private sealed class CurrentRow(VideoFeaturizerMapping owner, DataViewRow input) : IMappedColumns
    {
        private ValueGetter<ReadOnlyMemory<char>>? _sourceGetter;
        private ValueGetter<int>? _frameCountGetter;
        private ReadOnlyMemory<char> _sourceValue;
        private float[][] _values = [];
        private long _position = -1;
        private float[][]? _stored;
        private long _storedPosition = -1;

        public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column, int output)
        {
            if (typeof(TValue) != typeof(VBuffer<float>))
            {
                throw new InvalidOperationException($"Invalid TValue in GetGetter: '{typeof(TValue)}', expected type: '{typeof(VBuffer<float>)}' for column '{column.Name}'");
            }
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                // Once the row's stored outputs are open, the other outputs come with them instead of a whole read.
                var values = output > 0 && _storedPosition == input.Position ? _stored![output - 1] : Values()[output];
                value = new VBuffer<float>(values.Length, values);       // lent, not copied
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        /// <summary>Opens the current row's first output where it is stored; null for another output, or when the row is not stored.</summary>
        public IFrameRangeReader? OpenFrames(int output)
        {
            if (output != 0 || owner._openStored is null)
            {
                return null;
            }
            var (source, frameCount) = Video();
            var stored = owner._openStored(source, frameCount);
            if (stored is null)
            {
                return null;
            }
            (_stored, _storedPosition) = (stored.Others, input.Position);
            return stored.Frames;
        }

        public void Dispose()
        {
        }

        private (string Source, int FrameCount) Video()
        {
            _sourceGetter ??= input.GetGetter<ReadOnlyMemory<char>>(input.Schema[owner._source]);
            _frameCountGetter ??= input.GetGetter<int>(input.Schema[owner._frameCount]);
            _sourceGetter(ref _sourceValue);
            var frameCount = 0;
            _frameCountGetter(ref frameCount);
            return (_sourceValue.ToString(), frameCount);
        }

        private float[][] Values()
        {
            if (_position != input.Position)
            {
                var (source, frameCount) = Video();
                _values = [];       // the previous row's arrays are not kept while this one is computed
                _values = owner._featurize(source, frameCount);
                _position = input.Position;
            }
            return _values;
        }
    }

    private sealed class Mapper(VideoFeaturizerMapping owner, DataViewSchema input, DataViewSchema output) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => input;

        public DataViewSchema OutputSchema => output;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
            owner.Dependencies(input, dependingColumns);

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            new MappedRow(owner, input, output, [.. activeColumns.Select(c => c.Index)]);
    }

    /// <summary>An input row with the outputs added; the caller owns and disposes the row it wraps.</summary>
    private sealed class MappedRow(VideoFeaturizerMapping owner, DataViewRow source, DataViewSchema schema, HashSet<int> active) : DataViewRow
    {
        private readonly CurrentRow _current = new(owner, source);

        public override DataViewSchema Schema => schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < source.Schema.Count ? source.IsColumnActive(source.Schema[column.Index]) : active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            column.Index < source.Schema.Count
                ? source.GetGetter<TValue>(source.Schema[column.Index])
                : _current.GetGetter<TValue>(column, column.Index - source.Schema.Count);

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();
    }
}

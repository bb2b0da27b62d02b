using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>The columns a <see cref="MappedColumnsView"/> appends, computed from the current row of one source cursor.</summary>
internal interface IMappedColumns : IDisposable
{
    /// <summary>Returns the getter of an appended column; <paramref name="output"/> counts from 0 at the first appended column.</summary>
    ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column, int output);

    /// <summary>Opens the current row's values of an appended column for frame ranges, or returns null when they cannot be read so.</summary>
    IFrameRangeReader? OpenFrames(int output);
}

/// <summary>
/// A source's rows with columns appended after its own, computed row by row as a cursor reaches them: each cursor binds its
/// own <see cref="IMappedColumns"/> to the source cursor it wraps, the first time an appended column is asked for, and
/// disposes it with itself. The source's columns pass through untouched, frame-range reading included
/// (<see cref="IFrameRangeCursor"/>).
/// </summary>
/// <param name="source">The rows mapped.</param>
/// <param name="schema">The source's schema with the appended columns after its own.</param>
/// <param name="inputs">The source columns the appended columns are computed from, by name.</param>
/// <param name="bind">Returns the appended columns of a source cursor's rows.</param>
internal sealed class MappedColumnsView(IDataView source, DataViewSchema schema, IReadOnlyList<string> inputs,
    Func<DataViewRowCursor, IMappedColumns> bind) : IDataView
{
    /// <summary>
    /// Returns the source columns that <paramref name="needed"/> columns read: the source's own among them, and
    /// <paramref name="inputs"/> when an appended column (one past the source's) is needed.
    /// </summary>
    public static IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema source, IEnumerable<DataViewSchema.Column> needed, IReadOnlyList<string> inputs)
    {
        var columns = new List<DataViewSchema.Column>();
        var mapped = false;
        foreach (var column in needed)
        {
            if (column.Index < source.Count)
            {
                columns.Add(source[column.Index]);
            }
            else
            {
                mapped = true;
            }
        }
        if (mapped)
        {
            columns.AddRange(inputs.Select(name => source[name]));
        }
        return columns.DistinctBy(c => c.Index);
    }

    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        return new Cursor(source.GetRowCursor(Dependencies(source.Schema, needed, inputs), rand), schema, needed, bind);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        return [.. source.GetRowCursorSet(Dependencies(source.Schema, needed, inputs), n, rand).Select(cursor => (DataViewRowCursor)new Cursor(cursor, schema, needed, bind))];
    }

    private sealed class Cursor : ForwardingCursor, IFrameRangeCursor
    {
        private readonly DataViewSchema _schema;
        private readonly HashSet<int> _active;
        private readonly Lazy<IMappedColumns> _mapped;

        public Cursor(DataViewRowCursor source, DataViewSchema schema, DataViewSchema.Column[] needed, Func<DataViewRowCursor, IMappedColumns> bind)
            : base(source)
        {
            _schema = schema;
            _active = [.. needed.Select(c => c.Index)];
            _mapped = new Lazy<IMappedColumns>(() => bind(source), LazyThreadSafetyMode.None);
        }

        public override DataViewSchema Schema => _schema;

        public override long Position => Source.Position;

        public override bool MoveNext() => Source.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < Source.Schema.Count ? Source.IsColumnActive(Source.Schema[column.Index]) : _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            column.Index < Source.Schema.Count
                ? Source.GetGetter<TValue>(Source.Schema[column.Index])
                : _mapped.Value.GetGetter<TValue>(column, column.Index - Source.Schema.Count);

        public IFrameRangeReader? OpenFrames(DataViewSchema.Column column) =>
            column.Index < Source.Schema.Count ? SourceFrames(column) : _mapped.Value.OpenFrames(column.Index - Source.Schema.Count);

        protected override void Dispose(bool disposing)
        {
            if (disposing && _mapped.IsValueCreated)
            {
                _mapped.Value.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

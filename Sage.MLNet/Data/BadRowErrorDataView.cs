using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// Passes a scored <see cref="IDataView"/> through unchanged, except that it rethrows, as itself, an
/// <see cref="InvalidDataException"/> or <see cref="IOException"/> (a bad row, a missing file or folder)
/// that ML.NET's parallel cursors wrapped on the way.
/// </summary>
/// <remarks>
/// ML.NET reads the input of a row-to-row transform on worker threads whenever more than one core is
/// available, and wraps whatever a worker throws in an <see cref="InvalidOperationException"/>
/// ("Splitter/consolidator worker encountered exception while consuming source data"), once per
/// split and once per consolidation. A bad row found by <see cref="ValidatedFeaturesDataView"/> would
/// then reach the user two wrappers deep; this view unwraps it so the user gets the message that names the row.
/// </remarks>
internal sealed class BadRowErrorDataView : IDataView
{
    private readonly IDataView _source;

    public BadRowErrorDataView(IDataView source) => _source = source;

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_source.GetRowCursor(columnsNeeded, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        _source.GetRowCursorSet(columnsNeeded, n, rand)
            .Select(cursor => (DataViewRowCursor)new Cursor(cursor))
            .ToArray();

    /// <summary>Returns the data or file error under ML.NET's <see cref="InvalidOperationException"/> wrappers, or null.</summary>
    private static Exception? BadRow(InvalidOperationException wrapper)
    {
        Exception? inner = wrapper.InnerException;
        while (inner is InvalidOperationException)
        {
            inner = inner.InnerException;
        }
        return inner is InvalidDataException or IOException ? inner : null;
    }

    /// <summary>Passes frame-range reading through (<see cref="IFrameRangeCursor"/>), so featurized rows reach the trainer a clip at a time.</summary>
    private sealed class Cursor(DataViewRowCursor source) : ForwardingCursor(source), IFrameRangeCursor
    {
        public override long Position => Source.Position;

        public IFrameRangeReader? OpenFrames(DataViewSchema.Column column) => SourceFrames(column);

        public override bool MoveNext()
        {
            try
            {
                return Source.MoveNext();
            }
            catch (InvalidOperationException e) when (BadRow(e) is { } badRow)
            {
                ExceptionDispatchInfo.Throw(badRow);
                throw;      // not reached
            }
        }
    }
}

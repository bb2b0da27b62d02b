using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// Passes an <see cref="IDataView"/> through lazily and unchanged, except that reading a row's visual or
/// audio features checks them first (see <see cref="FeatureRowCheck"/>), so a row that cannot be a video
/// fails with an <see cref="InvalidDataException"/> that names it instead of deep inside ONNX Runtime.
/// Nothing is copied or read ahead.
/// </summary>
internal sealed class ValidatedFeaturesDataView : IDataView
{
    private readonly IDataView _source;
    private readonly FeatureColumns _columns;

    public ValidatedFeaturesDataView(IDataView source, FeatureColumns columns)
    {
        _source = source;
        _columns = columns;
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_source.GetRowCursor(_columns.WithVideoId(columnsNeeded), rand), _columns);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        _source.GetRowCursorSet(_columns.WithVideoId(columnsNeeded), n, rand)
            .Select(cursor => (DataViewRowCursor)new Cursor(cursor, _columns))
            .ToArray();

    private sealed class Cursor(DataViewRowCursor source, FeatureColumns columns) : ForwardingCursor(source)
    {
        private readonly FeatureRowCheck _check = columns.Bind(source);

        public override long Position => Source.Position;

        public override bool MoveNext() => Source.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _check.GetGetter<TValue>(column);
    }
}

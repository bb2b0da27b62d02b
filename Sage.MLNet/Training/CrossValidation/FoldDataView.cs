using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>
/// The rows of a <see cref="FoldPlan"/>'s data whose fold passes a test, read lazily from the data itself: nothing is
/// copied. It shuffles when the data does and rows are placed by group; rows placed by row number keep their order.
/// </summary>
internal sealed class FoldDataView : IDataView
{
    private readonly FoldPlan _plan;
    private readonly Func<int, bool> _keepFold;
    private readonly long _rows;

    /// <param name="plan">The data and the fold of each row.</param>
    /// <param name="keepFold">Whether rows of a fold (from 0) belong to this view.</param>
    /// <param name="rows">How many rows pass, as the plan counted them.</param>
    public FoldDataView(FoldPlan plan, Func<int, bool> keepFold, long rows)
    {
        _plan = plan;
        _keepFold = keepFold;
        _rows = rows;
    }

    public bool CanShuffle => _plan.ByGroup && _plan.Data.CanShuffle;

    public DataViewSchema Schema => _plan.Data.Schema;

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var columns = columnsNeeded.Concat(_plan.PlacementColumns).DistinctBy(c => c.Index);
        var source = CanShuffle ? _plan.Data.GetRowCursor(columns, rand) : _plan.Data.GetRowCursor(columns);
        return new Cursor(source, _plan.FoldOfCurrentRow(source), _keepFold);
    }

    /// <summary>Returns one cursor: rows are filtered in order, so they are not split between threads.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _source;
        private readonly Func<int> _foldOfCurrentRow;
        private readonly Func<int, bool> _keepFold;
        private long _position = -1;

        public Cursor(DataViewRowCursor source, Func<int> foldOfCurrentRow, Func<int, bool> keepFold)
        {
            _source = source;
            _foldOfCurrentRow = foldOfCurrentRow;
            _keepFold = keepFold;
        }

        public override DataViewSchema Schema => _source.Schema;

        public override long Position => _position;

        public override long Batch => _source.Batch;

        public override bool MoveNext()
        {
            while (_source.MoveNext())
            {
                if (_keepFold(_foldOfCurrentRow()))
                {
                    _position++;
                    return true;
                }
            }
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _source.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _source.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

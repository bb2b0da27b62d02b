using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

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

    /// <summary>Passes frame-range reading through (<see cref="IFrameRangeCursor"/>), so a fold's rows reach the trainer a clip at a time when the data's do.</summary>
    private sealed class Cursor(DataViewRowCursor source, Func<int> foldOfCurrentRow, Func<int, bool> keepFold) : ForwardingCursor(source), IFrameRangeCursor
    {
        private long _position = -1;

        public override long Position => _position;

        public IFrameRangeReader? OpenFrames(DataViewSchema.Column column) => SourceFrames(column);

        public override bool MoveNext()
        {
            while (Source.MoveNext())
            {
                if (keepFold(foldOfCurrentRow()))
                {
                    _position++;
                    return true;
                }
            }
            return false;
        }
    }
}

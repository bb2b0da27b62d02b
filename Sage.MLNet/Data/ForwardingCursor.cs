using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>A row cursor that reads every value from a source cursor and owns it; subclasses decide how it moves.</summary>
internal abstract class ForwardingCursor : DataViewRowCursor
{
    protected ForwardingCursor(DataViewRowCursor source) => Source = source;

    /// <summary>Gets the cursor whose rows this one passes on.</summary>
    protected DataViewRowCursor Source { get; }

    public override DataViewSchema Schema => Source.Schema;

    public override long Batch => Source.Batch;

    public override bool IsColumnActive(DataViewSchema.Column column) => Source.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Source.GetGetter<TValue>(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => Source.GetIdGetter();

    /// <summary>
    /// Opens the source's values of a column (of this cursor's schema, whose first columns are the source's) for frame
    /// ranges, or null when the source cannot: for a subclass that passes <see cref="IFrameRangeCursor"/> through.
    /// </summary>
    protected IFrameRangeReader? SourceFrames(DataViewSchema.Column column) =>
        Source is IFrameRangeCursor ranges && column.Index < Source.Schema.Count ? ranges.OpenFrames(Source.Schema[column.Index]) : null;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Source.Dispose();
        }
        base.Dispose(disposing);
    }
}

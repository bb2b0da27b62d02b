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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Source.Dispose();
        }
        base.Dispose(disposing);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Persistence;

/// <summary>
/// A data view with a schema and no rows, to fit the featurizers of a loaded model: their Fit reads only the schema,
/// and ML.NET offers no public way to make an empty view of a schema known only at run time.
/// </summary>
internal sealed class SchemaOnlyDataView : IDataView
{
    public SchemaOnlyDataView(DataViewSchema schema) => Schema = schema;

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => 0;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new EmptyCursor(Schema);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new EmptyCursor(Schema)];

    private sealed class EmptyCursor(DataViewSchema schema) : DataViewRowCursor
    {
        public override DataViewSchema Schema => schema;

        public override long Position => -1;

        public override long Batch => 0;

        public override bool MoveNext() => false;

        public override bool IsColumnActive(DataViewSchema.Column column) => false;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            throw new InvalidOperationException($"Column '{column.Name}' has no values: this view only carries a schema");

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            throw new InvalidOperationException("This view only carries a schema and has no rows");
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// The one-row-at-a-time counterpart of <see cref="ValidatedFeaturesDataView"/>, used by <c>PredictionEngine</c>:
/// hands the wrapped mapper a view of each input row whose feature getters check the values first.
/// </summary>
internal sealed class ValidatedFeaturesRowMapper : IRowToRowMapper
{
    private readonly IRowToRowMapper _mapper;
    private readonly FeatureColumns _columns;

    public ValidatedFeaturesRowMapper(IRowToRowMapper mapper, FeatureColumns columns)
    {
        _mapper = mapper;
        _columns = columns;
    }

    public DataViewSchema InputSchema => _mapper.InputSchema;

    public DataViewSchema OutputSchema => _mapper.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        _columns.WithVideoId(_mapper.GetDependencies(dependingColumns));

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        _mapper.GetRow(new Row(input, _columns), activeColumns);

    /// <summary>The input row, with checked feature getters; the caller owns and disposes the row it wraps.</summary>
    private sealed class Row : DataViewRow
    {
        private readonly DataViewRow _source;
        private readonly FeatureRowCheck _check;

        public Row(DataViewRow source, FeatureColumns columns)
        {
            _source = source;
            _check = columns.Bind(source);
        }

        public override DataViewSchema Schema => _source.Schema;

        public override long Position => _source.Position;

        public override long Batch => _source.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => _source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _check.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _source.GetIdGetter();
    }
}

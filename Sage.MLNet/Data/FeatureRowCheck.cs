using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// Hands out getters of one row (or cursor) that pass values through unchanged, except that a feature
/// column's getter first checks its value against <see cref="SageFeatureRules"/>, and the second feature
/// getter called on a row checks that both hold the same number of frames. ONNX Runtime reads both
/// feature columns of a row before it runs, so a bad row fails here, with a message that names it.
/// </summary>
/// <remarks>
/// <para>This is the one place the library throws from inside a lazy getter for a data-dependent reason: a deliberate exception
/// to style.md's rule ("never throw from inside a lazy getter for a data-dependent reason"), decided here with its reason, for
/// that rule to name as its exception. (The featurizers' getters fail per video too, on a file that is missing or cannot be
/// decoded, and reach the user through the same <see cref="BadRowErrorDataView"/>.) Kept rather than simplified, because prediction is
/// lazy by ML.NET's contract: <c>Transform</c> must not read the data, and <c>PredictionEngine</c> hands over one row at a time,
/// so a row's values exist only inside its getter. The alternatives are worse: checking eagerly reads the data twice, and
/// not checking lets ONNX Runtime fail without naming the row (or, for NaN, silently predict NaN). What the rule guards
/// against, ML.NET's worker threads wrapping the exception until its message is lost, is undone by
/// <see cref="BadRowErrorDataView"/>.</para>
/// <para>The types that carry the check: <see cref="FeatureColumns"/> (which columns, bound once per schema), this class (the
/// getters of one row), <see cref="ValidatedFeaturesDataView"/> and <see cref="ValidatedFeaturesRowMapper"/> (where
/// <c>Transform</c> and <c>PredictionEngine</c> read rows), <see cref="ForwardingCursor"/> (their shared pass-through) and
/// <see cref="BadRowErrorDataView"/> (the unwrapping). Training checks the same rules eagerly in <see cref="SageVideoReader"/>.</para>
/// </remarks>
internal sealed class FeatureRowCheck
{
    private readonly FeatureColumns _columns;
    private readonly DataViewRow _row;
    private readonly ValueGetter<ReadOnlyMemory<char>>? _videoId;
    private readonly Func<string> _videoName;
    private long _visualPosition = long.MinValue;
    private long _audioPosition = long.MinValue;
    private int _visualFrames;
    private int _audioFrames;

    public FeatureRowCheck(FeatureColumns columns, DataViewRow row)
    {
        _columns = columns;
        _row = row;
        if (columns.VideoId is { } id && row.IsColumnActive(id))
        {
            _videoId = row.GetGetter<ReadOnlyMemory<char>>(id);
        }
        _videoName = VideoName;
    }

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        var isVisual = column.Index == _columns.Visual.Index;
        if ((!isVisual && column.Index != _columns.Audio.Index) || typeof(TValue) != typeof(VBuffer<float>))
        {
            return _row.GetGetter<TValue>(column);      // other columns, or a wrong type that ML.NET itself reports
        }
        var source = _row.GetGetter<VBuffer<float>>(column);
        ValueGetter<VBuffer<float>> getter = isVisual
            ? (ref VBuffer<float> value) =>
            {
                source(ref value);
                _visualFrames = SageFeatureRules.CheckFeatures(value, _videoName, _columns.Visual.Name, _columns.VisualSize);
                _visualPosition = _row.Position;
                CheckSameFrames();
            }
            : (ref VBuffer<float> value) =>
            {
                source(ref value);
                _audioFrames = SageFeatureRules.CheckFeatures(value, _videoName, _columns.Audio.Name, _columns.AudioSize);
                _audioPosition = _row.Position;
                CheckSameFrames();
            };
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    private void CheckSameFrames()
    {
        if (_visualPosition == _audioPosition)
        {
            SageFeatureRules.CheckSameFrames(_videoName, _columns.Audio.Name, _audioFrames, _columns.Visual.Name, _visualFrames);
        }
    }

    /// <summary>The row's name; asked for only when the row is bad, so a valid row never reads its VideoId here.</summary>
    private string VideoName()
    {
        ReadOnlyMemory<char> id = default;
        _videoId?.Invoke(ref id);
        return SageFeatureRules.VideoName(_row.Position, id);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Reads a vector column the way a consumer of the featurisers' output does.</summary>
internal static class VectorColumn
{
    /// <summary>Returns each row's vector length, reading the column through one reused buffer as a training loop would (no array per row).</summary>
    public static List<long> Lengths(IDataView data, string column)
    {
        var lengths = new List<long>();
        using var cursor = data.GetRowCursor([data.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[column]);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            lengths.Add(value.Length);
        }
        return lengths;
    }
}

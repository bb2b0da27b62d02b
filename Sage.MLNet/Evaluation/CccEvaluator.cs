using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Evaluation;

/// <summary>
/// Accumulates predicted and annotated valence and arousal over videos into one <see cref="CccMetrics"/>,
/// leaving out frames where either label is −5. Used by evaluation and by training's validation reports.
/// </summary>
internal sealed class CccEvaluator
{
    private readonly Concordance _valence = new();
    private readonly Concordance _arousal = new();

    /// <summary>Adds one video's frames; all four spans have one value per frame.</summary>
    public void AddVideo(ReadOnlySpan<float> predictedValence, ReadOnlySpan<float> predictedArousal,
        ReadOnlySpan<float> valence, ReadOnlySpan<float> arousal)
    {
        for (var t = 0; t < valence.Length; t++)
        {
            if (SageLabels.IsAnnotated(valence[t], arousal[t]))
            {
                _valence.Add(predictedValence[t], valence[t]);
                _arousal.Add(predictedArousal[t], arousal[t]);
            }
        }
    }

    public CccMetrics Result => new(_valence.Value, _arousal.Value, _valence.Count);

    /// <summary>Returns the CCC of scored rows, one video per row: the walk behind <see cref="SageCatalog.EvaluateCcc"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or is not a vector of Single.</exception>
    /// <exception cref="InvalidDataException">A row's predictions and labels differ in length; the message names the row.</exception>
    public static CccMetrics Evaluate(IDataView data, string valenceColumnName, string arousalColumnName,
        string predictedValenceColumnName, string predictedArousalColumnName)
    {
        string[] names = [valenceColumnName, arousalColumnName, predictedValenceColumnName, predictedArousalColumnName];
        string[] roles = ["valence", "arousal", "predicted valence", "predicted arousal"];
        for (var i = 0; i < names.Length; i++)
        {
            ColumnCheck.Vector(data.Schema, roles[i], names[i]);
        }
        var columns = names.Select(name => data.Schema[name]).ToArray();
        using var cursor = data.GetRowCursor(columns);
        var getters = columns.Select(column => cursor.GetGetter<VBuffer<float>>(column)).ToArray();
        var values = new VBuffer<float>[columns.Length];
        var evaluator = new CccEvaluator();
        long row = 0;
        while (cursor.MoveNext())
        {
            for (var i = 0; i < getters.Length; i++)
            {
                getters[i](ref values[i]);
                if (values[i].Length != values[0].Length)
                {
                    throw new InvalidDataException(
                        $"row {row}: column '{names[i]}' has {values[i].Length} values but column '{names[0]}' has {values[0].Length}");
                }
            }
            var dense = values.Select(v => v.DenseValues().ToArray()).ToArray();
            evaluator.AddVideo(dense[2], dense[3], dense[0], dense[1]);
            row++;
        }
        return evaluator.Result;
    }
}

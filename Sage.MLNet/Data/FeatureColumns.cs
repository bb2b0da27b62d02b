using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// The two feature columns of a schema and their frame sizes: what <see cref="ValidatedFeaturesDataView"/>
/// and <see cref="ValidatedFeaturesRowMapper"/> check before a row reaches ONNX Runtime.
/// </summary>
internal sealed class FeatureColumns
{
    private FeatureColumns(DataViewSchema.Column visual, DataViewSchema.Column audio, DataViewSchema.Column? videoId, int visualSize, int audioSize)
    {
        Visual = visual;
        Audio = audio;
        VideoId = videoId;
        VisualSize = visualSize;
        AudioSize = audioSize;
    }

    public DataViewSchema.Column Visual { get; }

    public DataViewSchema.Column Audio { get; }

    /// <summary>The text VideoId column, read only to name a bad row; null when the data has none.</summary>
    public DataViewSchema.Column? VideoId { get; }

    public int VisualSize { get; }

    public int AudioSize { get; }

    /// <summary>Finds the feature columns of <paramref name="schema"/>, which must already have passed <see cref="SageColumns.CheckFeatures(DataViewSchema, SageOptions)"/>.</summary>
    public static FeatureColumns From(DataViewSchema schema, SageOptions options) => new(
        schema[options.VisualFeaturesColumnName],
        schema[options.AudioFeaturesColumnName],
        SageFeatureRules.VideoIdColumn(schema),
        options.VisualFeatureSize,
        options.AudioFeatureSize);

    /// <summary>Returns <paramref name="columns"/> plus VideoId when a feature column is among them, so a bad row can be named.</summary>
    public IEnumerable<DataViewSchema.Column> WithVideoId(IEnumerable<DataViewSchema.Column> columns)
    {
        var list = columns.ToList();
        if (VideoId is { } id && list.Any(c => c.Index == Visual.Index || c.Index == Audio.Index) && list.All(c => c.Index != id.Index))
        {
            list.Add(id);
        }
        return list;
    }

    /// <summary>Starts checking the rows <paramref name="row"/> moves over.</summary>
    public FeatureRowCheck Bind(DataViewRow row) => new(this, row);
}

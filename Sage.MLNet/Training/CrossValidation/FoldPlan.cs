using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Training.CrossValidation;

/// <summary>
/// Which fold every training row belongs to, worked out in one pass over the data that reads only the group column and
/// the length of the valence labels; and each fold's training and held-out rows as lazy views of the same data, so
/// no fold copies a video.
/// </summary>
internal sealed class FoldPlan
{
    private readonly IDataView _data;
    private readonly string? _groupColumn;
    private readonly Dictionary<string, int>? _foldOfGroup;
    private readonly int[]? _foldOfRow;
    private readonly int[] _videos;
    private readonly long[] _frames;

    private FoldPlan(IDataView data, string? groupColumn, Dictionary<string, int>? foldOfGroup, int[]? foldOfRow, int[] videos, long[] frames)
    {
        _data = data;
        _groupColumn = groupColumn;
        _foldOfGroup = foldOfGroup;
        _foldOfRow = foldOfRow;
        _videos = videos;
        _frames = frames;
    }

    /// <summary>Gets the number of folds K.</summary>
    public int FoldCount => _videos.Length;

    /// <summary>Returns the rows (videos) of fold <paramref name="fold"/>, from 0.</summary>
    public int Videos(int fold) => _videos[fold];

    /// <summary>Returns the frames of fold <paramref name="fold"/>'s rows.</summary>
    public long Frames(int fold) => _frames[fold];

    /// <summary>Returns the rows outside fold <paramref name="fold"/>: what its model trains on.</summary>
    public IDataView Training(int fold) => new FoldDataView(this, f => f != fold, _videos.Sum() - _videos[fold]);

    /// <summary>Returns the rows of fold <paramref name="fold"/>: its model's held-out videos.</summary>
    public IDataView HeldOut(int fold) => new FoldDataView(this, f => f == fold, _videos[fold]);

    /// <summary>Gets whether rows are placed by their group column, which any row order can read; by row number otherwise.</summary>
    public bool ByGroup => _groupColumn is not null;

    /// <summary>Gets the training rows the plan splits.</summary>
    public IDataView Data => _data;

    /// <summary>The columns a cursor must read to place its rows: the group column, or none.</summary>
    public IEnumerable<DataViewSchema.Column> PlacementColumns =>
        _groupColumn is null ? [] : [_data.Schema[_groupColumn]];

    /// <summary>Returns a function that gives the fold of the cursor's current row.</summary>
    public Func<int> FoldOfCurrentRow(DataViewRowCursor cursor)
    {
        if (_foldOfRow is { } foldOfRow)
        {
            return () => cursor.Position < foldOfRow.Length
                ? foldOfRow[cursor.Position]
                : throw new InvalidDataException(
                    $"row {cursor.Position} was not in the training data when the folds were assigned ({foldOfRow.Length} rows): the data changed between reads");
        }
        var ids = cursor.GetGetter<ReadOnlyMemory<char>>(_data.Schema[_groupColumn!]);
        ReadOnlyMemory<char> id = default;
        return () =>
        {
            ids(ref id);
            return _foldOfGroup!.TryGetValue(FoldAssignment.GroupOf(id.ToString()), out var fold)
                ? fold
                : throw new InvalidDataException(
                    $"video '{id}' (column '{_groupColumn}') was not in the training data when the folds were assigned: the data changed between reads");
        };
    }

    /// <summary>Splits <paramref name="data"/> into <paramref name="foldCount"/> folds by <see cref="FoldAssignment"/>.</summary>
    /// <param name="data">The training rows.</param>
    /// <param name="labelColumn">A column of per-frame labels; its length is a row's frame count.</param>
    /// <param name="groupColumn">A text column of video ids (see <see cref="FoldAssignment.GroupOf"/>), or null for one group per row.</param>
    /// <param name="foldCount">Folds K.</param>
    /// <param name="seed">Seed of the assignment.</param>
    /// <exception cref="ArgumentOutOfRangeException">The group column is missing or not text, or the data has fewer groups than folds.</exception>
    /// <exception cref="InvalidDataException">A row's group id is empty.</exception>
    public static FoldPlan Create(IDataView data, string labelColumn, string? groupColumn, int foldCount, int seed)
    {
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupFrames = new List<long>();
        var groupOfRow = new List<int>();
        var rowFrames = new List<long>();
        var columns = new List<DataViewSchema.Column> { data.Schema[labelColumn] };
        if (groupColumn is not null)
        {
            columns.Add(GroupColumn(data.Schema, groupColumn));
        }
        using (var cursor = data.GetRowCursor(columns))
        {
            var labels = cursor.GetGetter<VBuffer<float>>(columns[0]);
            var ids = groupColumn is null ? null : cursor.GetGetter<ReadOnlyMemory<char>>(columns[1]);
            VBuffer<float> buffer = default;
            ReadOnlyMemory<char> id = default;
            while (cursor.MoveNext())
            {
                labels(ref buffer);
                var group = cursor.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (ids is not null)
                {
                    ids(ref id);
                    group = id.IsEmpty
                        ? throw new InvalidDataException($"row {cursor.Position}: group column '{groupColumn}' is empty; every video needs an id to keep its group in one fold")
                        : FoldAssignment.GroupOf(id.ToString());
                }
                if (!groupIndex.TryGetValue(group, out var index))
                {
                    index = groupFrames.Count;
                    groupIndex.Add(group, index);
                    groupFrames.Add(0);
                }
                groupFrames[index] += buffer.Length;
                groupOfRow.Add(index);
                rowFrames.Add(buffer.Length);
            }
        }
        if (groupFrames.Count < foldCount)
        {
            var grouping = groupColumn is null ? "one per row" : $"videos with equal '{groupColumn}' once '_left'/'_right' is removed";
            throw new ArgumentOutOfRangeException(nameof(SageCrossValidationOptions.FoldCount), foldCount,
                $"FoldCount {foldCount} needs at least {foldCount} groups of videos, but the training data's {groupOfRow.Count} rows form {groupFrames.Count} groups ({grouping}).");
        }
        var foldOfGroupIndex = FoldAssignment.Assign(groupFrames, foldCount, seed);
        var videos = new int[foldCount];
        var frames = new long[foldCount];
        for (var row = 0; row < groupOfRow.Count; row++)
        {
            var fold = foldOfGroupIndex[groupOfRow[row]];
            videos[fold]++;
            frames[fold] += rowFrames[row];
        }
        return groupColumn is null
            ? new FoldPlan(data, null, null, [.. groupOfRow.Select(g => foldOfGroupIndex[g])], videos, frames)
            : new FoldPlan(data, groupColumn, groupIndex.ToDictionary(p => p.Key, p => foldOfGroupIndex[p.Value], StringComparer.Ordinal), null, videos, frames);
    }

    private static DataViewSchema.Column GroupColumn(DataViewSchema schema, string name)
    {
        ColumnCheck.Scalar(schema, "group", name, TextDataViewType.Instance, whenMissing: "set GroupColumnName to null to make every row its own group");
        return schema[name];
    }
}

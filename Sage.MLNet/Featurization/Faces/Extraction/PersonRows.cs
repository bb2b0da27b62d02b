using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>
/// With <see cref="SageFaceExtractionOptions.RowPerPerson"/>: repeats each extracted video's row once per person found,
/// main person first, with that person's crop folder, FaceFound and id; every other column passes through unchanged.
/// A video in which nobody was found keeps its one row.
/// </summary>
internal sealed class PersonRows(IDataView source, SageFaceExtractionOptions options) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        // The folder is read for every row: it leads to the row's people.
        var folder = source.Schema[options.FaceFolderColumnName];
        return new Cursor(source.GetRowCursor(columnsNeeded.Append(folder).Distinct()), options);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>Returns each person's id: the file's name, with _left/_right for two people, _person2 … after the main one for more.</summary>
    public static string[] Ids(string videoFile, IReadOnlyList<ExtractedPerson> people)
    {
        var name = Path.GetFileNameWithoutExtension(videoFile);
        if (people.Count == 2)
        {
            var mainIsLeft = people[0].CentreX <= people[1].CentreX;
            return mainIsLeft ? [$"{name}_left", $"{name}_right"] : [$"{name}_right", $"{name}_left"];
        }
        return [.. Enumerable.Range(0, Math.Max(1, people.Count)).Select(p => p == 0 ? name : $"{name}_person{p + 1}")];
    }

    private sealed class Cursor : ForwardingCursor
    {
        private readonly DataViewSchema.Column _folder;
        private readonly DataViewSchema.Column _found;
        private readonly DataViewSchema.Column _id;
        private readonly ValueGetter<ReadOnlyMemory<char>> _folderGetter;
        private string _rowFolder = "";
        private ExtractedPerson[] _people = [];
        private string[] _ids = [];
        private int _person;
        private long _position = -1;

        public Cursor(DataViewRowCursor source, SageFaceExtractionOptions options)
            : base(source)
        {
            _folder = source.Schema[options.FaceFolderColumnName];
            _found = source.Schema[options.FaceFoundColumnName];
            _id = source.Schema[options.PersonIdColumnName];
            _folderGetter = source.GetGetter<ReadOnlyMemory<char>>(_folder);
        }

        public override long Position => _position;

        public override bool MoveNext()
        {
            if (_person + 1 < _people.Length)
            {
                _person++;
                _position++;
                return true;
            }
            if (!Source.MoveNext())
            {
                return false;
            }
            ReadOnlyMemory<char> folder = default;
            _folderGetter(ref folder);
            _rowFolder = folder.ToString();
            var manifest = ExtractionManifest.TryRead(_rowFolder)
                ?? throw new InvalidDataException($"crop folder '{_rowFolder}' lost its {ExtractionManifest.FileName} while it was being read");
            _people = manifest.People;
            _ids = Ids(manifest.VideoFile, _people);
            _person = 0;
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => Source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index == _folder.Index)
            {
                return (ValueGetter<TValue>)(Delegate)new ValueGetter<ReadOnlyMemory<char>>((ref ReadOnlyMemory<char> value) =>
                    value = (_people.Length == 0 ? _rowFolder : Path.Combine(_rowFolder, _people[_person].Folder)).AsMemory());
            }
            if (column.Index == _id.Index)
            {
                return (ValueGetter<TValue>)(Delegate)new ValueGetter<ReadOnlyMemory<char>>((ref ReadOnlyMemory<char> value) =>
                    value = _ids[_person].AsMemory());
            }
            if (column.Index == _found.Index)
            {
                var rowFound = Source.GetGetter<VBuffer<float>>(column);
                return (ValueGetter<TValue>)(Delegate)new ValueGetter<VBuffer<float>>((ref VBuffer<float> value) =>
                {
                    if (_people.Length == 0)
                    {
                        rowFound(ref value);
                        return;
                    }
                    var found = _people[_person].FaceFound;
                    var editor = VBufferEditor.Create(ref value, found.Length);
                    found.CopyTo(editor.Values);
                    value = editor.Commit();
                });
            }
            return Source.GetGetter<TValue>(column);
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
        {
            var rowId = Source.GetIdGetter();
            return (ref DataViewRowId value) =>
            {
                rowId(ref value);
                value = value.Combine(new DataViewRowId((ulong)_person, 0));
            };
        }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>Builds ML.NET's stock custom-mapping estimator around a <see cref="FaceExtractor"/>, with the options' column names, and checks its input column.</summary>
internal static class FaceExtractionMapping
{
    /// <summary>Returns the mapping; <c>extract</c> is called from several threads.</summary>
    public static IEstimator<ITransformer> Create(TransformsCatalog catalog, Func<string, ExtractedFaces> extract, SageFaceExtractionOptions options)
    {
        var input = SchemaDefinition.Create(typeof(Input));
        input[nameof(Input.VideoFile)].ColumnName = options.VideoFileColumnName;
        var output = SchemaDefinition.Create(typeof(Output));
        output[nameof(Output.FaceFolder)].ColumnName = options.FaceFolderColumnName;
        output[nameof(Output.FrameCount)].ColumnName = options.FrameCountColumnName;
        output[nameof(Output.FaceFound)].ColumnName = options.FaceFoundColumnName;
        output[nameof(Output.FaceFound)].ColumnType = new VectorDataViewType(NumberDataViewType.Single);
        output[nameof(Output.FrameTime)].ColumnName = options.FrameTimeColumnName;
        output[nameof(Output.FrameTime)].ColumnType = new VectorDataViewType(NumberDataViewType.Double);
        if (options.RowPerPerson)
        {
            output[nameof(Output.PersonId)].ColumnName = options.PersonIdColumnName;
        }
        else
        {
            output.Remove(output[nameof(Output.PersonId)]);
        }
        // No contract name: the mapping is never saved; SageModel.Save keeps the options instead.
        return catalog.CustomMapping<Input, Output>(
            (row, result) =>
            {
                var faces = extract(row.VideoFile);
                result.FaceFolder = faces.Folder;
                result.FrameCount = faces.FrameCount;
                result.FaceFound = faces.FaceFound;
                result.FrameTime = faces.FrameTimes;
                result.PersonId = PersonRows.Ids(row.VideoFile, faces.Manifest.People)[0];
            },
            contractName: null,
            input,
            output);
    }

    public static void Check(DataViewSchema schema, SageFaceExtractionOptions options) =>
        Check(options.VideoFileColumnName, schema.GetColumnOrNull(options.VideoFileColumnName)?.Type);

    public static void Check(SchemaShape shape, SageFaceExtractionOptions options)
    {
        var column = shape.LastOrDefault(c => c.Name == options.VideoFileColumnName);
        Check(options.VideoFileColumnName, column.Name is null ? null
            : column.Kind == SchemaShape.Column.VectorKind.Scalar ? column.ItemType : new VectorDataViewType((PrimitiveDataViewType)column.ItemType));
    }

    /// <summary>Returns the input schema with the four output columns appended, as the mapping delivers them.</summary>
    public static DataViewSchema OutputSchema(DataViewSchema input, SageFaceExtractionOptions options)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Where(c => c.Name != options.FaceFolderColumnName && c.Name != options.FrameCountColumnName
            && c.Name != options.FaceFoundColumnName && c.Name != options.FrameTimeColumnName
            && !(options.RowPerPerson && c.Name == options.PersonIdColumnName)));
        builder.AddColumn(options.FaceFolderColumnName, TextDataViewType.Instance);
        builder.AddColumn(options.FrameCountColumnName, NumberDataViewType.Int32);
        builder.AddColumn(options.FaceFoundColumnName, new VectorDataViewType(NumberDataViewType.Single));
        builder.AddColumn(options.FrameTimeColumnName, new VectorDataViewType(NumberDataViewType.Double));
        if (options.RowPerPerson)
        {
            builder.AddColumn(options.PersonIdColumnName, TextDataViewType.Instance);
        }
        return builder.ToSchema();
    }

    private static void Check(string name, DataViewType? actual)
    {
        if (actual is null)
        {
            throw new ArgumentOutOfRangeException("inputSchema", $"Could not find video file column '{name}'");
        }
        if (!actual.Equals(TextDataViewType.Instance))
        {
            throw new ArgumentOutOfRangeException("inputSchema", $"Schema mismatch for video file column '{name}': expected {TextDataViewType.Instance}, got {actual}");
        }
    }

    /// <summary>The column the mapping reads.</summary>
    public sealed class Input
    {
        public string VideoFile = "";
    }

    /// <summary>The columns the mapping writes.</summary>
    public sealed class Output
    {
        public string FaceFolder = "";

        public int FrameCount;

        public float[] FaceFound = [];

        public double[] FrameTime = [];

        public string PersonId = "";
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Persistence;

/// <summary>Turns a model's saved input schema (features) into the raw schema its featurizers read, and back.</summary>
internal static class FeaturizationSchema
{
    /// <summary>Returns <paramref name="schema"/> with the featurizers' output columns added where they are missing, so raw or featurised schemas both save as the model's input.</summary>
    public static DataViewSchema WithFeatures(DataViewSchema schema, SageFaceExtractionTransformer? extraction, SageFaceFeaturizerTransformer? faces, SageAudioFeaturizerTransformer? audio)
    {
        if (extraction is not null && schema.GetColumnOrNull(extraction.Options.FaceFolderColumnName) is null)
        {
            schema = extraction.GetOutputSchema(schema);
        }
        if (faces is not null && schema.GetColumnOrNull(faces.Options.OutputColumnName) is null)
        {
            schema = faces.GetOutputSchema(schema);
        }
        if (audio is not null && schema.GetColumnOrNull(audio.Options.OutputColumnName) is null)
        {
            schema = audio.GetOutputSchema(schema);
        }
        return schema;
    }

    /// <summary>Returns the saved schema without the featurizers' outputs and with their inputs: the columns a raw row needs.</summary>
    public static DataViewSchema Raw(DataViewSchema saved, FeaturizationFile file)
    {
        var produced = new HashSet<string>();
        var needed = new List<(string Name, DataViewType Type)>();
        if (file.Extraction is { } extraction)
        {
            // The crops, T, FaceFound and frame times come from the video: a raw row needs only the video file.
            produced.UnionWith([extraction.FaceFolderColumnName, extraction.FrameCountColumnName, extraction.FaceFoundColumnName, extraction.FrameTimeColumnName]);
            needed.Add((extraction.VideoFileColumnName, TextDataViewType.Instance));
            if (extraction.RowPerPerson && extraction.PersonIdColumnName is { } personId)
            {
                produced.Add(personId);
            }
        }
        if (file.Faces is { } faces)
        {
            produced.UnionWith([faces.OutputColumnName, faces.FaceFoundColumnName]);
            needed.Add((faces.FaceFolderColumnName, TextDataViewType.Instance));
            needed.Add((faces.FrameCountColumnName, NumberDataViewType.Int32));
        }
        if (file.Audio is { } audio)
        {
            produced.Add(audio.OutputColumnName);
            needed.Add((audio.VideoFileColumnName, TextDataViewType.Instance));
            needed.Add((audio.FrameCountColumnName, NumberDataViewType.Int32));
        }
        var builder = new DataViewSchema.Builder();
        var names = new HashSet<string>();
        foreach (var column in saved.Where(c => !c.IsHidden && !produced.Contains(c.Name)))
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
            names.Add(column.Name);
        }
        foreach (var (name, type) in needed.Where(c => !produced.Contains(c.Name) && names.Add(c.Name)))
        {
            builder.AddColumn(name, type);
        }
        return builder.ToSchema();
    }
}

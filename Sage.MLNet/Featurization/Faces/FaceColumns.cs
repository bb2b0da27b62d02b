using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Data;

namespace Sage.MLNet.Featurization.Faces;

/// <summary>The columns face featurisation reads, checked through <see cref="ColumnCheck"/>: a text face folder and an Int32 frame count.</summary>
internal static class FaceColumns
{
    public static void Check(DataViewSchema schema, SageFaceFeaturizerOptions options)
    {
        ColumnCheck.Scalar(schema, "face folder", options.FaceFolderColumnName, TextDataViewType.Instance);
        ColumnCheck.Scalar(schema, "frame count", options.FrameCountColumnName, NumberDataViewType.Int32);
    }

    public static void Check(SchemaShape shape, SageFaceFeaturizerOptions options)
    {
        ColumnCheck.Scalar(shape, "face folder", options.FaceFolderColumnName, TextDataViewType.Instance);
        ColumnCheck.Scalar(shape, "frame count", options.FrameCountColumnName, NumberDataViewType.Int32);
    }
}

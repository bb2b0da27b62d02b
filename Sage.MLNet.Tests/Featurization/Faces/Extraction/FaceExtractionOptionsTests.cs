using Microsoft.ML;

namespace Sage.MLNet.Tests.Featurization.Faces.Extraction;

[TestClass]
public sealed class FaceExtractionOptionsTests
{
    [TestMethod]
    public void ExtractFaces_FrameTimeNamedAsFaceFound_ThrowsNamingTheOption()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => new MLContext().Transforms.ExtractFaces(new SageFaceExtractionOptions { FrameTimeColumnName = "FaceFound" }));

        Assert.AreEqual("FrameTimeColumnName", error.ParamName);
        StringAssert.Contains(error.Message, "FrameTimeColumnName must differ from FaceFoundColumnName");
    }

    [TestMethod]
    public void ExtractFaces_OptionsChangedAfterTheCall_EstimatorKeepsTheValidatedCopy()
    {
        var ml = new MLContext(seed: 1);
        var options = new SageFaceExtractionOptions { FaceFolderColumnName = "Crops" };
        var estimator = ml.Transforms.ExtractFaces(options);
        options.FaceFolderColumnName = "VideoFile";     // would fail validation: the input column's name
        options.VideoFileColumnName = "Elsewhere";

        var shape = estimator.GetOutputSchema(TestData.ShapeOf(ml.Data.LoadFromEnumerable([new VideoRow()]).Schema));

        CollectionAssert.AreEqual(new[] { "VideoFile", "Crops", "FrameCount", "FaceFound", "FrameTime" }, shape.Select(c => c.Name).ToArray());
    }

    private sealed class VideoRow
    {
        public string VideoFile { get; set; } = "";
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Sage.MLNet.Featurization.Faces;
using SkiaSharp;

namespace Sage.MLNet.Tests.Featurization.Faces;

[TestClass]
public sealed class SageFaceFeaturizerTests
{
    private const int Dv = 512;

    [TestMethod]
    public void Transform_DefaultEncoderWithGaps_GivesTTimes512ValuesAndMarksFaces()
    {
        using var crops = new FaceCropFolders();
        var ml = new MLContext(seed: 1);
        FaceRow[] rows =
        [
            new() { FaceFolder = crops.Add("gaps-112", 112, 0, 1, 3, 4), FrameCount = 6 },
            new() { FaceFolder = crops.Add("late-96", 96, 2, 3), FrameCount = 4 },
        ];
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.FeaturizeFaces().Fit(data);

        var output = model.Transform(data);
        var features = output.GetColumn<float[]>("VisualFeatures").ToArray();
        var found = output.GetColumn<float[]>("FaceFound").ToArray();

        Assert.AreEqual(Dv, model.FeatureSize);
        Assert.AreEqual(6 * Dv, features[0].Length);
        Assert.AreEqual(4 * Dv, features[1].Length);
        CollectionAssert.AreEqual(new float[] { 1, 1, 0, 1, 1, 0 }, found[0]);
        CollectionAssert.AreEqual(new float[] { 0, 0, 1, 1 }, found[1]);
        // Missing frames copy the nearest earlier crop; before the first face, the first crop.
        CollectionAssert.AreEqual(Frame(features[0], 1), Frame(features[0], 2));
        CollectionAssert.AreEqual(Frame(features[0], 4), Frame(features[0], 5));
        CollectionAssert.AreEqual(Frame(features[1], 2), Frame(features[1], 0));
        CollectionAssert.AreEqual(Frame(features[1], 2), Frame(features[1], 1));
        CollectionAssert.AreNotEqual(Frame(features[0], 0), Frame(features[0], 1));
        Assert.IsTrue(features.All(f => f.All(float.IsFinite)));
    }

    [TestMethod]
    public void Transform_SchemaPromised_EqualsSchemaDelivered()
    {
        using var crops = new FaceCropFolders();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = crops.Add("v", 112, 0), FrameCount = 1 }]);
        var options = new SageFaceFeaturizerOptions { OutputColumnName = "Faces", FaceFoundColumnName = "HasFace" };
        var estimator = ml.Transforms.FeaturizeFaces(options);
        using var model = estimator.Fit(data);

        var delivered = model.Transform(data).Schema;
        var promised = model.GetOutputSchema(data.Schema);
        var shape = estimator.GetOutputSchema(TestData.ShapeOf(data.Schema));

        CollectionAssert.AreEqual(delivered.Select(c => (c.Name, c.Type)).ToArray(), promised.Select(c => (c.Name, c.Type)).ToArray());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single), delivered["Faces"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single), delivered["HasFace"].Type);
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, shape.Single(c => c.Name == "Faces").Kind);
        Assert.AreEqual(SchemaShape.Column.VectorKind.VariableVector, shape.Single(c => c.Name == "HasFace").Kind);
    }

    [TestMethod]
    public void GetGetter_TwoReadsOfOneRow_LendOneArrayHoldingTheFeaturizersValues()
    {
        using var crops = new FaceCropFolders();
        var ml = new MLContext(seed: 1);
        var folder = crops.Add("v", 112, 0, 2);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = folder, FrameCount = 3 }]);
        using var model = ml.Transforms.FeaturizeFaces().Fit(data);
        var expected = model.Featurizer.Featurize(folder, 3).Features;
        var output = model.Transform(data);
        var column = output.Schema["VisualFeatures"];
        using var cursor = output.GetRowCursor([column]);
        var first = cursor.GetGetter<VBuffer<float>>(column);
        var second = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> a = default, b = default;

        Assert.IsTrue(cursor.MoveNext());
        first(ref a);
        second(ref b);

        // ML.NET's CustomMapping copied the whole video into each caller's buffer; the featurizer's array is now lent to both.
        Assert.IsTrue(System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(a.GetValues()),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(b.GetValues())), "both getters see one array");
        CollectionAssert.AreEqual(expected, a.GetValues().ToArray());
    }

    [TestMethod]
    public void PredictionEngine_OneVideo_EqualsTransform()
    {
        using var crops = new FaceCropFolders();
        var ml = new MLContext(seed: 1);
        var row = new FaceRow { FaceFolder = crops.Add("v", 112, 0, 2), FrameCount = 3 };
        var data = ml.Data.LoadFromEnumerable([row]);
        using var model = ml.Transforms.FeaturizeFaces().Fit(data);
        var expected = model.Transform(data).GetColumn<float[]>("VisualFeatures").Single();

        using var engine = ml.Model.CreatePredictionEngine<FaceRow, FaceFeatures>(model, new PredictionEngineOptions { OwnsTransformer = false });
        var actual = engine.Predict(row);

        Assert.IsTrue(model.IsRowToRowMapper);
        Assert.AreEqual(3 * Dv, actual.VisualFeatures.Length);
        CollectionAssert.AreEqual(expected, actual.VisualFeatures);
        CollectionAssert.AreEqual(new float[] { 1, 0, 1 }, actual.FaceFound);
    }

    [TestMethod]
    public void FeaturizeFaces_OptionsChangedAfterTheCall_EstimatorKeepsTheValidatedCopy()
    {
        var ml = new MLContext(seed: 1);
        var options = new SageFaceFeaturizerOptions { OutputColumnName = "Faces" };
        var estimator = ml.Transforms.FeaturizeFaces(options);
        options.OutputColumnName = "FaceFound";     // would fail validation: the same name as the FaceFound column
        options.FaceFolderColumnName = "Elsewhere";
        options.EncoderChannelStds[0] = 0;

        var shape = estimator.GetOutputSchema(TestData.ShapeOf(ml.Data.LoadFromEnumerable([new FaceRow()]).Schema));

        CollectionAssert.AreEqual(new[] { "FaceFolder", "FrameCount", "Faces", "FaceFound" }, shape.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void Encode_BatchOfFive_EqualsOneAtATime()
    {
        using var crops = new FaceCropFolders();
        var files = Directory.GetFiles(crops.Add("v", 112, 0, 1, 2, 3, 4)).Order().ToArray();
        using var batched = FaceFeaturizer.Create(new SageFaceFeaturizerOptions { BatchSize = 5 });
        using var single = FaceFeaturizer.Create(new SageFaceFeaturizerOptions { BatchSize = 1 });

        var expected = single.EncodeAll(files, "v");
        var actual = batched.EncodeAll(files, "v");

        Assert.AreEqual(5 * Dv, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], 1e-4, $"value {i}");
        }
    }

    [TestMethod]
    public void Encode_EditedGraphAt224_EqualsPackagedGraphAndPreprocessing()
    {
        using var crops = new FaceCropFolders();
        var file = Directory.GetFiles(crops.Add("v", 224, 3)).Single();
        using var featurizer = FaceFeaturizer.Create(new SageFaceFeaturizerOptions { ImageWidth = 224, ImageHeight = 224 });

        var actual = featurizer.EncodeAll([file], "v");
        var expected = PackagedPipeline(file);

        Assert.AreEqual(expected.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.AreEqual(expected[i], actual[i], 1e-3, $"value {i}");
        }
    }

    [TestMethod]
    public void Transform_CustomGlobalAveragePoolEncoder_GivesNormalisedChannelMeans()
    {
        using var crops = new FaceCropFolders();
        var folder = Directory.CreateDirectory(Path.Combine(crops.Root, "plain")).FullName;
        SKColor[] colors = [new(200, 100, 50), new(10, 240, 128)];
        FaceCropFolders.WriteJpeg(Path.Combine(folder, "00001.jpg"), 64, (_, _) => colors[0]);
        FaceCropFolders.WriteJpeg(Path.Combine(folder, "00003.jpg"), 64, (_, _) => colors[1]);
        var encoder = Path.Combine(crops.Root, "gap.onnx");
        GlobalAveragePoolEncoder.Write(encoder);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = folder, FrameCount = 3 }]);
        var options = new SageFaceFeaturizerOptions
        {
            EncoderModelPath = encoder,
            EncoderOutputName = GlobalAveragePoolEncoder.OutputName,
            ImageWidth = 32,
            ImageHeight = 32,
            EncoderChannelOrder = SageFaceChannelOrder.Bgr,
            EncoderChannelMeans = [0.5f, 0.25f, 0.125f],
            EncoderChannelStds = [0.5f, 0.25f, 2f],
        };
        using var model = ml.Transforms.FeaturizeFaces(options).Fit(data);

        var features = model.Transform(data).GetColumn<float[]>("VisualFeatures").Single();

        // Solid colours survive JPEG and resizing to within a level or two, so each feature is
        // (colour / 255 − mean) / std per channel, in B, G, R order.
        float[] Expected(SKColor c) => [(c.Blue / 255f - 0.125f) / 2f, (c.Green / 255f - 0.25f) / 0.25f, (c.Red / 255f - 0.5f) / 0.5f];
        float[] expected = [.. Expected(colors[0]), .. Expected(colors[0]), .. Expected(colors[1])];
        Assert.AreEqual(3, model.FeatureSize);
        Assert.AreEqual(expected.Length, features.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], features[i], 0.05, $"value {i}");
        }
    }

    [TestMethod]
    public void Transform_CorruptJpeg_ThrowsNamingFileAndVideo()
    {
        using var crops = new FaceCropFolders();
        var folder = crops.Add("broken-video", 112, 0);
        var corrupt = Path.Combine(folder, "00002.jpg");
        File.WriteAllBytes(corrupt, [0xFF, 0xD8, 0xFF, 1, 2, 3, 4, 5, 6, 7]);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = folder, FrameCount = 2 }]);
        using var model = ml.Transforms.FeaturizeFaces().Fit(data);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => model.Transform(data).GetColumn<float[]>("VisualFeatures").ToArray());

        StringAssert.Contains(e.Message, corrupt);
        StringAssert.Contains(e.Message, "video 'broken-video'");
    }

    [TestMethod]
    public void Transform_EmptyFolder_ThrowsNamingFolder()
    {
        using var crops = new FaceCropFolders();
        var folder = crops.Add("no-faces", 112);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = folder, FrameCount = 3 }]);
        using var model = ml.Transforms.FeaturizeFaces().Fit(data);

        var e = Assert.ThrowsExactly<InvalidDataException>(() => model.Transform(data).GetColumn<float[]>("VisualFeatures").ToArray());

        StringAssert.Contains(e.Message, folder);
    }

    [TestMethod]
    public void Transform_EmptyFolderAllowed_GivesZerosAndNoFaces()
    {
        using var crops = new FaceCropFolders();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = crops.Add("no-faces", 112), FrameCount = 3 }]);
        using var model = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions { EmptyFolderIsError = false }).Fit(data);

        var output = model.Transform(data);

        var features = output.GetColumn<float[]>("VisualFeatures").Single();
        Assert.AreEqual(3 * Dv, features.Length);
        Assert.IsTrue(features.All(v => v == 0));
        CollectionAssert.AreEqual(new float[3], output.GetColumn<float[]>("FaceFound").Single());
    }

    [TestMethod]
    public void Transform_MissingFolder_ThrowsNamingFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sage-no-such-folder", "video-7");
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = folder, FrameCount = 3 }]);
        using var model = ml.Transforms.FeaturizeFaces().Fit(data);

        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => model.Transform(data).GetColumn<float[]>("VisualFeatures").ToArray());
        StringAssert.Contains(e.Message, folder);
    }

    [TestMethod]
    public void Fit_FrameCountColumnMissing_ThrowsNamingColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new { FaceFolder = "x" }]);
        var estimator = ml.Transforms.FeaturizeFaces(frameCountColumnName: "Frames");

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        var shape = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(TestData.ShapeOf(data.Schema)));

        StringAssert.Contains(e.Message, "Could not find frame count column 'Frames'");
        StringAssert.Contains(shape.Message, "Could not find frame count column 'Frames'");
    }

    [TestMethod]
    public void Fit_FaceFolderNotText_ThrowsSchemaMismatch()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new { FaceFolder = 3f, FrameCount = 1 }]);

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.FeaturizeFaces().Fit(data));

        StringAssert.Contains(e.Message, "Schema mismatch for face folder column 'FaceFolder': expected String, got Single");
    }

    [TestMethod]
    public void FeaturizeFaces_BatchSizeZero_ThrowsNamingOption()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => new MLContext().Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions { BatchSize = 0 }));

        Assert.AreEqual(nameof(SageFaceFeaturizerOptions.BatchSize), e.ParamName);
    }

    [TestMethod]
    public void Save_Always_ThrowsNotSupportedSayingWhy()
    {
        using var crops = new FaceCropFolders();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = crops.Add("v", 112, 0), FrameCount = 1 }]);
        using var model = ml.Transforms.FeaturizeFaces().Fit(data);

        var e = Assert.ThrowsExactly<NotSupportedException>(() => ml.Model.Save(model, data.Schema, Path.Combine(crops.Root, "m.zip")));

        StringAssert.Contains(e.Message, "cannot be saved by mlContext.Model.Save");
        StringAssert.Contains(e.Message, "SageModel.Save");
    }

    private static float[] Frame(float[] features, int frame) => features[(frame * Dv)..((frame + 1) * Dv)];

    /// <summary>Runs the package's own two models, unedited: RGB planes 0–255 → preprocessing → ResNet18 at [1, 3, 224, 224].</summary>
    private static float[] PackagedPipeline(string file)
    {
        using var bitmap = SKBitmap.Decode(file).Copy(SKColorType.Rgba8888);
        var rgb = new float[3 * 224 * 224];
        for (var y = 0; y < 224; y++)
        {
            for (var x = 0; x < 224; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                rgb[y * 224 + x] = pixel.Red;
                rgb[224 * 224 + y * 224 + x] = pixel.Green;
                rgb[2 * 224 * 224 + y * 224 + x] = pixel.Blue;
            }
        }
        using var preprocess = new InferenceSession(PackagedResNet18.PreprocessPath);
        using var cnn = new InferenceSession(PackagedResNet18.ModelPath);
        using var original = OrtValue.CreateTensorValueFromMemory(rgb, [1, 3, 224, 224]);
        using var prepared = preprocess.Run(new RunOptions(), [preprocess.InputNames[0]], [original], preprocess.OutputNames);
        using var features = cnn.Run(new RunOptions(), [cnn.InputNames[0]], [prepared[0]], cnn.OutputNames);
        return features[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private sealed class FaceFeatures
    {
        public float[] VisualFeatures { get; set; } = [];

        public float[] FaceFound { get; set; } = [];
    }
}

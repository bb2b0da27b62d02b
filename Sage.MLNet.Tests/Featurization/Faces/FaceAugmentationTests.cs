using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Sage.MLNet.Featurization.Cache;
using Sage.MLNet.Featurization.Faces;
using Sage.MLNet.Persistence;
using SkiaSharp;

namespace Sage.MLNet.Tests.Featurization.Faces;

/// <summary>Training-time augmentation: what a draw does to a crop, that it repeats, and that it never reaches serving.</summary>
[TestClass]
public sealed class FaceAugmentationTests
{
    private const int Size = 112;
    private const int Dv = 512;

    [TestMethod]
    public void Apply_FlipAlwaysNoCrop_MirrorsEveryPixel()
    {
        using var image = Asymmetric(Size);
        var augmentation = new FaceAugmentation(new SageFaceAugmentation { HorizontalFlipProbability = 1, MinCropScale = 1 });

        using var mirrored = augmentation.Apply(image, "v", "00001.jpg", Size, Size);

        for (var y = 0; y < Size; y += 7)
        {
            for (var x = 0; x < Size; x += 5)
            {
                Assert.AreEqual(image.GetPixel(Size - 1 - x, y), mirrored.GetPixel(x, y), $"pixel ({x}, {y})");
            }
        }
    }

    [TestMethod]
    public void Draw_ManyFiles_StaysInsideTheImageAndFlipsAboutTheAskedShare()
    {
        var augmentation = new FaceAugmentation(new SageFaceAugmentation { HorizontalFlipProbability = 0.25, MinCropScale = 0.8 });

        var draws = Enumerable.Range(1, 2000).Select(i => augmentation.Draw("video", $"{i:D5}.jpg", Size, Size)).ToArray();

        foreach (var (crop, _) in draws)
        {
            Assert.IsTrue(crop.Left >= 0 && crop.Top >= 0 && crop.Right <= Size && crop.Bottom <= Size, crop.ToString());
            Assert.IsTrue(crop.Width >= Math.Round(0.8 * Size) && crop.Width <= Size, crop.ToString());
            Assert.AreEqual(crop.Width, crop.Height);
        }
        Assert.AreEqual(0.25, draws.Count(d => d.Flip) / (double)draws.Length, 0.03);
        Assert.IsTrue(draws.Select(d => d.Crop.Width).Distinct().Count() > 10, "crop sizes should vary");
    }

    [TestMethod]
    public void Draw_SameSeedVideoAndFile_RepeatsAndAnotherSeedDiffers()
    {
        var first = new FaceAugmentation(new SageFaceAugmentation { Seed = 7 });
        var again = new FaceAugmentation(new SageFaceAugmentation { Seed = 7 });
        var other = new FaceAugmentation(new SageFaceAugmentation { Seed = 8 });
        string[] files = [.. Enumerable.Range(1, 50).Select(i => $"{i:D5}.jpg")];

        var a = files.Select(f => first.Draw("video", f, Size, Size)).ToArray();
        var b = files.Select(f => again.Draw("video", f, Size, Size)).ToArray();
        var c = files.Select(f => other.Draw("video", f, Size, Size)).ToArray();

        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, c);
    }

    [TestMethod]
    public void Transform_FlipAlways_EqualsFeaturesOfMirroredCrops()
    {
        using var crops = new FaceCropFolders();
        var original = WritePngCrops(crops, "original", mirror: false);
        var mirrored = WritePngCrops(crops, "mirrored", mirror: true);
        var ml = new MLContext(seed: 1);
        var flipOnly = new SageFaceAugmentation { HorizontalFlipProbability = 1, MinCropScale = 1 };

        var augmented = Features(ml, original, new SageFaceFeaturizerOptions { TrainingAugmentation = flipOnly });
        var plainMirrored = Features(ml, mirrored, new SageFaceFeaturizerOptions());
        var plainOriginal = Features(ml, original, new SageFaceFeaturizerOptions());

        Assert.AreEqual(3 * Dv, augmented.Length);
        var distance = MaxAbsDifference(augmented, plainMirrored);
        Assert.IsLessThan(1e-3, distance);
        Assert.IsGreaterThan(100 * distance + 1e-2, MaxAbsDifference(augmented, plainOriginal));
    }

    [TestMethod]
    public void Transform_RandomCrops_RepeatPerSeedAndDifferAcrossSeeds()
    {
        using var crops = new FaceCropFolders();
        var folder = crops.Add("v", Size, 0, 1, 2);
        var ml = new MLContext(seed: 1);
        SageFaceFeaturizerOptions WithSeed(int seed) => new() { TrainingAugmentation = new SageFaceAugmentation { Seed = seed, MinCropScale = 0.7 } };

        var first = Features(ml, folder, WithSeed(1));
        var again = Features(ml, folder, WithSeed(1));
        var other = Features(ml, folder, WithSeed(2));

        CollectionAssert.AreEqual(first, again);
        Assert.IsGreaterThan(1e-2, MaxAbsDifference(first, other));
    }

    [TestMethod]
    [DataRow(1.5, 0.9, "TrainingAugmentation.HorizontalFlipProbability")]
    [DataRow(-0.1, 0.9, "TrainingAugmentation.HorizontalFlipProbability")]
    [DataRow(0.5, 0.0, "TrainingAugmentation.MinCropScale")]
    [DataRow(0.5, 1.2, "TrainingAugmentation.MinCropScale")]
    public void FeaturizeFaces_AugmentationOutOfRange_ThrowsNamingIt(double flip, double scale, string option)
    {
        var options = new SageFaceFeaturizerOptions { TrainingAugmentation = new() { HorizontalFlipProbability = flip, MinCropScale = scale } };

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().Transforms.FeaturizeFaces(options));

        Assert.AreEqual(option, e.ParamName);
    }

    [TestMethod]
    public void CacheKey_WithAugmentation_DiffersFromWithoutAndBetweenSeeds()
    {
        var plain = FeaturizerSettings.Faces(new SageFaceFeaturizerOptions()).ToJsonString();
        var seed1 = FeaturizerSettings.Faces(new SageFaceFeaturizerOptions { TrainingAugmentation = new() { Seed = 1 } }).ToJsonString();
        var seed2 = FeaturizerSettings.Faces(new SageFaceFeaturizerOptions { TrainingAugmentation = new() { Seed = 2 } }).ToJsonString();

        Assert.AreNotEqual(plain, seed1);
        Assert.AreNotEqual(seed1, seed2);
        StringAssert.Contains(seed1, "\"minCropScale\":0.875");
    }

    [TestMethod]
    public void SavedSettings_OfAnAugmentedFeaturizer_AreThoseOfThePlainOne()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Array.Empty<FaceRow>());
        using var augmented = ml.Transforms.FeaturizeFaces(new SageFaceFeaturizerOptions { TrainingAugmentation = new() }).Fit(data);
        using var plain = ml.Transforms.FeaturizeFaces().Fit(data);

        var saved = JsonSerializer.Serialize(FaceFeaturizerRecord.From(augmented));

        Assert.AreEqual(JsonSerializer.Serialize(FaceFeaturizerRecord.From(plain)), saved);
        Assert.DoesNotContain("ugmentation", saved);
    }

    private static float[] Features(MLContext ml, string folder, SageFaceFeaturizerOptions options)
    {
        var data = ml.Data.LoadFromEnumerable([new FaceRow { FaceFolder = folder, FrameCount = Directory.GetFiles(folder).Length }]);
        using var model = ml.Transforms.FeaturizeFaces(options).Fit(data);
        return model.Transform(data).GetColumn<float[]>(options.OutputColumnName).Single();
    }

    /// <summary>Writes three lossless crops (PNG bytes under .jpg names, which the decoder accepts) of an asymmetric pattern, mirrored or not.</summary>
    private static string WritePngCrops(FaceCropFolders crops, string video, bool mirror)
    {
        var folder = Directory.CreateDirectory(Path.Combine(crops.Root, video)).FullName;
        for (var frame = 0; frame < 3; frame++)
        {
            using var image = Asymmetric(Size, frame);
            using var written = mirror ? Mirror(image) : image.Copy();
            using var png = written.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, $"{frame + 1:D5}.jpg"), png.ToArray());
        }
        return folder;
    }

    /// <summary>A pattern whose left and right halves differ: a bright bar on the left third, a gradient elsewhere.</summary>
    private static SKBitmap Asymmetric(int size, int tint = 0)
    {
        var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                bitmap.SetPixel(x, y, x < size / 3
                    ? new SKColor(250, (byte)(200 - 20 * tint), 30)
                    : new SKColor((byte)(x * 2), (byte)(y * 2), (byte)(40 * tint)));
            }
        }
        return bitmap;
    }

    private static SKBitmap Mirror(SKBitmap image)
    {
        var mirrored = new SKBitmap(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                mirrored.SetPixel(x, y, image.GetPixel(image.Width - 1 - x, y));
            }
        }
        return mirrored;
    }

    private static double MaxAbsDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}

using System.Text.Json;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// <c>train --folds 2</c> on a tiny synthetic copy of three Train videos (two subject groups, since the last two are one video's
/// _left and _right), run as a process: once with target-wise selection, once averaging, and the averaged zip evaluated afresh.
/// </summary>
[TestClass]
public sealed class SampleFoldTests
{
    private static string s_root = null!;
    private static string s_data = null!;
    private static string s_targetWise = null!;
    private static string s_average = null!;
    private static ProgramRun s_targetWiseRun = null!;

    [ClassInitialize]
    public static void SynthesiseAndTrainTwoFoldsTwice(TestContext _)
    {
        s_root = Directory.CreateTempSubdirectory("sage-folds-").FullName;
        s_data = Path.Combine(s_root, "data");
        s_targetWise = Path.Combine(s_root, "target-wise");
        s_average = Path.Combine(s_root, "average");
        var cache = Path.Combine(s_root, "cache");
        SampleProgram.RunSucceeding("synth", "--out", s_data, "--train-videos", "3", "--validation-videos", "1",
            "--test-videos", "1", "--seconds", "4");
        s_targetWiseRun = SampleProgram.RunSucceeding("train", "--data", s_data, "--out", s_targetWise, "--cache", cache,
            "--folds", "2", "--epochs", "1", "--plot-videos", "0");
        SampleProgram.RunSucceeding("train", "--data", s_data, "--out", s_average, "--cache", cache,
            "--folds", "2", "--selection", "average", "--epochs", "1", "--plot-videos", "0");
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        if (s_root is not null && Directory.Exists(s_root))
        {
            Directory.Delete(s_root, recursive: true);
        }
    }

    [TestMethod]
    public void Train_TwoFolds_WritesTwoFoldRowsAndTheChosenFolds()
    {
        var folds = SampleProgram.ReadMetrics(s_targetWise).GetProperty("folds");
        Assert.AreEqual("target-wise", folds.GetProperty("selection").GetString());
        var rows = folds.GetProperty("rows").EnumerateArray().ToArray();
        CollectionAssert.AreEqual(new[] { 1, 2 }, rows.Select(row => row.GetProperty("fold").GetInt32()).ToArray());
        Assert.AreEqual(3, rows.Sum(row => row.GetProperty("held_out_videos").GetInt32()));
        foreach (var key in new[] { "held_out_valence_ccc", "held_out_arousal_ccc", "held_out_mean_ccc",
            "validation_valence_ccc", "validation_arousal_ccc", "validation_mean_ccc" })
        {
            Assert.IsTrue(rows.All(row => row.GetProperty(key).GetDouble() is >= -1 and <= 1), $"{key} out of [-1, 1]");
        }
        var valenceFold = folds.GetProperty("valence_fold").GetInt32();
        var arousalFold = folds.GetProperty("arousal_fold").GetInt32();
        Assert.IsTrue(valenceFold is 1 or 2 && arousalFold is 1 or 2, $"valence fold {valenceFold}, arousal fold {arousalFold}");
        CollectionAssert.AreEqual(new[] { 1.0, 0.0 }.Select(w => valenceFold == 1 ? w : 1 - w).ToArray(), Weights(rows, "valence_weight"));
        CollectionAssert.AreEqual(new[] { 1.0, 0.0 }.Select(w => arousalFold == 1 ? w : 1 - w).ToArray(), Weights(rows, "arousal_weight"));
    }

    [TestMethod]
    public void Train_TwoFolds_SavesOneWeightsFilePerFoldAndPrintsTheTable()
    {
        Assert.IsGreaterThan(10_000, new FileInfo(Path.Combine(s_targetWise, "sage-fold1.ckpt")).Length);
        Assert.IsGreaterThan(10_000, new FileInfo(Path.Combine(s_targetWise, "sage-fold2.ckpt")).Length);
        Assert.IsFalse(File.Exists(Path.Combine(s_targetWise, "sage.ckpt")));
        StringAssert.Contains(s_targetWiseRun.Output, "Cross-validation folds");
        StringAssert.Contains(s_targetWiseRun.Output, "combined (target-wise)");
        StringAssert.Contains(s_targetWiseRun.Output, "sage-fold2.ckpt (one per fold)");
        var epochs = SampleProgram.ReadMetrics(s_targetWise).GetProperty("epochs").EnumerateArray();
        CollectionAssert.AreEqual(new[] { 1, 2 }, epochs.Select(epoch => epoch.GetProperty("fold").GetInt32()).ToArray());
    }

    [TestMethod]
    public void Train_TwoFoldsAveraged_WeighsEachFoldHalf()
    {
        var folds = SampleProgram.ReadMetrics(s_average).GetProperty("folds");
        Assert.AreEqual("average", folds.GetProperty("selection").GetString());
        Assert.AreEqual(JsonValueKind.Null, folds.GetProperty("valence_fold").ValueKind);
        Assert.AreEqual(JsonValueKind.Null, folds.GetProperty("arousal_fold").ValueKind);
        var rows = folds.GetProperty("rows").EnumerateArray().ToArray();
        CollectionAssert.AreEqual(new[] { 0.5, 0.5 }, Weights(rows, "valence_weight"));
        CollectionAssert.AreEqual(new[] { 0.5, 0.5 }, Weights(rows, "arousal_weight"));
    }

    [TestMethod]
    public void Evaluate_TwoFoldModel_ScoresTheCombinedValidationCcc()
    {
        var output = Path.Combine(s_root, "evaluation");
        SampleProgram.RunSucceeding("evaluate", "--data", s_data, "--model", Path.Combine(s_average, "sage.zip"), "--out", output,
            "--plot-videos", "0", "--cache", Path.Combine(s_root, "cache"));
        var evaluated = SampleProgram.ReadMetrics(output);
        var folds = SampleProgram.ReadMetrics(s_average).GetProperty("folds");
        foreach (var target in new[] { "valence", "arousal", "mean" })
        {
            // Both files round CCCs to six decimals.
            Assert.AreEqual(folds.GetProperty($"combined_validation_{target}_ccc").GetDouble(), evaluated.GetProperty($"{target}_ccc").GetDouble(), 1e-6);
        }
    }

    [TestMethod]
    public void Train_ZeroFolds_ExitsNonZeroWithOneLine()
    {
        var run = SampleProgram.Run("train", "--data", s_data, "--folds", "0");
        Assert.AreNotEqual(0, run.ExitCode);
        Assert.AreEqual("--folds must be at least 1, got 0", run.Error.Trim());
    }

    [TestMethod]
    public void Train_UnknownSelection_ExitsNonZeroWithOneLine()
    {
        var run = SampleProgram.Run("train", "--data", s_data, "--folds", "2", "--selection", "best");
        Assert.AreNotEqual(0, run.ExitCode);
        Assert.AreEqual("--selection must be target-wise or average, got 'best'", run.Error.Trim());
    }

    [TestMethod]
    public void Train_MoreFoldsThanSubjects_ExitsOneNamingTheFoldCount()
    {
        var run = SampleProgram.Run("train", "--data", s_data, "--out", Path.Combine(s_root, "three-folds"), "--cache", Path.Combine(s_root, "cache"),
            "--folds", "3", "--epochs", "1");
        Assert.AreEqual(1, run.ExitCode);
        StringAssert.StartsWith(run.Error.Trim(), "error: --folds 3: FoldCount 3 needs at least 3 groups of videos");
        Assert.DoesNotContain("   at ", run.Error);
    }

    private static double[] Weights(JsonElement[] rows, string key) => [.. rows.Select(row => row.GetProperty(key).GetDouble())];
}

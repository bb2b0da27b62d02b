namespace Sage.MLNet.Tests.Samples;

/// <summary>The sample program's command line: every command documents its options, and a user's mistake gives one line and a non-zero exit code.</summary>
[TestClass]
public sealed class SampleCommandLineTests
{
    [TestMethod]
    [DataRow("demo", "--out", "--train-videos", "--epochs")]
    [DataRow("synth", "--out", "--train-videos", "--seconds", "--seed")]
    [DataRow("validate", "--data")]
    [DataRow("featurize", "--data", "--cache", "--face-encoder", "--audio-encoder")]
    [DataRow("train", "--data", "--out", "--cache", "--face-encoder", "--audio-encoder", "--image-size", "--face-mean", "--face-std", "--epochs", "--patience", "--folds", "--selection", "target-wise|average", "--augment-faces")]
    [DataRow("evaluate", "--data", "--model", "--split", "--labels", "--out", "--cache")]
    [DataRow("predict", "--model", "--video", "--faces", "--out")]
    [DataRow("serve", "--model", "--urls", "--max-upload-mb", "--jobs", "--queue", "--timeout", "--temp")]
    public void Help_EachCommand_ListsItsOptions(string command, params string[] options)
    {
        var run = SampleProgram.RunSucceeding(command, "--help");
        foreach (var option in options)
        {
            StringAssert.Contains(run.Output, option, $"'{command} --help' does not list {option}");
        }
    }

    [TestMethod]
    public void Train_DataFolderMissing_ExitsNonZeroNamingTheFolder()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"sage-missing-{Guid.NewGuid():N}");
        var run = SampleProgram.Run("train", "--data", missing);
        Assert.AreNotEqual(0, run.ExitCode);
        StringAssert.Contains(run.Error, missing);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [TestMethod]
    public void Evaluate_ModelFileMissing_ExitsNonZeroNamingTheFile()
    {
        var data = Directory.CreateTempSubdirectory("sage-evaluate-").FullName;
        try
        {
            var missing = Path.Combine(data, "missing.zip");
            var run = SampleProgram.Run("evaluate", "--data", data, "--model", missing);
            Assert.AreNotEqual(0, run.ExitCode);
            StringAssert.Contains(run.Error, missing);
            Assert.DoesNotContain("   at ", run.Error);
        }
        finally
        {
            Directory.Delete(data);
        }
    }

    [TestMethod]
    public void Synth_OutFolderNotEmpty_ExitsOneWithOneLine()
    {
        var folder = Directory.CreateTempSubdirectory("sage-synth-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "keep.txt"), "");
            var run = SampleProgram.Run("synth", "--out", folder);
            Assert.AreEqual(1, run.ExitCode);
            Assert.AreEqual($"error: The synthetic Aff-Wild2 root '{folder}' is not empty; choose a new or empty folder", run.Error.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Train_FaceMeanWithTwoValues_ExitsNonZeroSayingItTakesThree()
    {
        var data = Directory.CreateTempSubdirectory("sage-train-").FullName;
        try
        {
            var run = SampleProgram.Run("train", "--data", data, "--face-mean", "0.5", "0.5");
            Assert.AreNotEqual(0, run.ExitCode);
            StringAssert.Contains(run.Error, "--face-mean takes three values (red, green, blue), got 2");
        }
        finally
        {
            Directory.Delete(data);
        }
    }
}

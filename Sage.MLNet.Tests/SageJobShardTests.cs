namespace Sage.MLNet.Tests;

[TestClass]
public sealed class SageJobShardTests
{
    [TestMethod]
    [DataRow("1/16", 0, 16)]
    [DataRow("16/16", 15, 16)]
    [DataRow(" 3 / 4 ", 2, 4)]
    public void Parse_OneBasedText_GivesZeroBasedIndexAndCount(string text, int index, int count)
    {
        var shard = SageJobShard.Parse(text);

        Assert.AreEqual((index, count), (shard.Index, shard.Count));
    }

    [TestMethod]
    [DataRow("0/4")]
    [DataRow("5/4")]
    [DataRow("1/0")]
    [DataRow("2")]
    [DataRow("1/2/3")]
    [DataRow("a/4")]
    [DataRow("-1/4")]
    public void Parse_NotIOfN_ThrowsQuotingTheText(string text)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => SageJobShard.Parse(text));

        StringAssert.Contains(error.Message, $"'{text}'");
    }

    [TestMethod]
    [DataRow("1", "1", "4", null, null, 0, 4)]          // --array=1-4, all four variables
    [DataRow("4", "1", "4", null, null, 3, 4)]
    [DataRow("0", "0", null, "7", null, 0, 8)]          // --array=0-7 on a Slurm that sets no _COUNT
    [DataRow("6", "0", null, "30", "2", 3, 16)]         // --array=0-30:2
    [DataRow("12", "10", "3", "14", "2", 1, 3)]         // --array=10-14:2
    public void FromEnvironment_SlurmArray_GivesTaskPositionAndCount(string id, string? min, string? count, string? max, string? step, int index, int total)
    {
        var variables = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = id };
        void Set(string name, string? value)
        {
            if (value is not null)
            {
                variables[name] = value;
            }
        }
        Set("SLURM_ARRAY_TASK_MIN", min);
        Set("SLURM_ARRAY_TASK_COUNT", count);
        Set("SLURM_ARRAY_TASK_MAX", max);
        Set("SLURM_ARRAY_TASK_STEP", step);

        var shard = SageJobShard.FromEnvironment(variables: variables)!;

        Assert.AreEqual((index, total), (shard.Index, shard.Count));
        StringAssert.StartsWith(shard.Origin, $"SLURM_ARRAY_TASK_ID={id} of ");
    }

    [TestMethod]
    public void FromEnvironment_IrregularSlurmList_ThrowsNamingTheVariable()
    {
        // --array=1,5,7: Slurm sets COUNT 3, MIN 1, MAX 7; task 7 has no place among 3 shards.
        var variables = new Dictionary<string, string>
        {
            ["SLURM_ARRAY_TASK_ID"] = "7", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_MAX"] = "7", ["SLURM_ARRAY_TASK_COUNT"] = "3",
        };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => SageJobShard.FromEnvironment(variables: variables));

        StringAssert.Contains(error.Message, "SLURM_ARRAY_TASK_ID 7");
    }

    [TestMethod]
    public void FromEnvironment_KubernetesIndexWithCountVariable_GivesIndexAndCount()
    {
        var variables = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "5", [SageJobShard.CountVariable] = "16" };

        var shard = SageJobShard.FromEnvironment(variables: variables)!;

        Assert.AreEqual((5, 16, "JOB_COMPLETION_INDEX=5 of 16"), (shard.Index, shard.Count, shard.Origin));
    }

    [TestMethod]
    public void FromEnvironment_KubernetesIndexWithCountGiven_PrefersTheGivenCount()
    {
        var variables = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "5", [SageJobShard.CountVariable] = "16" };

        var shard = SageJobShard.FromEnvironment(8, variables)!;

        Assert.AreEqual((5, 8), (shard.Index, shard.Count));
    }

    [TestMethod]
    public void FromEnvironment_KubernetesIndexWithoutCount_ThrowsNamingTheCountVariable()
    {
        var variables = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0" };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => SageJobShard.FromEnvironment(variables: variables));

        StringAssert.Contains(error.Message, SageJobShard.CountVariable);
    }

    [TestMethod]
    public void FromEnvironment_KubernetesIndexPastCount_Throws()
    {
        var variables = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "4", [SageJobShard.CountVariable] = "4" };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => SageJobShard.FromEnvironment(variables: variables));

        StringAssert.Contains(error.Message, "0 … 3");
    }

    [TestMethod]
    public void FromEnvironment_NoJobArrayVariables_ReturnsNull() =>
        Assert.IsNull(SageJobShard.FromEnvironment(variables: new Dictionary<string, string> { ["HOME"] = "/root" }));

    [TestMethod]
    public void FromEnvironment_TaskIdNotANumber_ThrowsQuotingIt()
    {
        var variables = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "x", ["SLURM_ARRAY_TASK_COUNT"] = "2" };

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => SageJobShard.FromEnvironment(variables: variables));

        Assert.AreEqual("SLURM_ARRAY_TASK_ID is 'x', not a whole number", error.Message);
    }
}

using System.Globalization;
using System.Diagnostics;
using Sage.MLNet.Tests.Featurization.Faces;

namespace Sage.MLNet.Tests.Samples;

/// <summary>
/// The README's "Featurising on a cluster" on one machine: <c>featurize</c> processes started at once as the tasks of a job
/// array (by flag, by Slurm's and by Kubernetes' variables), killed and rerun, or doubled on one shard, leave the same cache,
/// byte for byte, as one serial run.
/// </summary>
[TestClass]
public sealed class SampleShardTests
{
    private static readonly string[] s_jobArrayVariables =
    [
        "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_STEP",
        "JOB_COMPLETION_INDEX", SageJobShard.CountVariable,
    ];

    private static string s_root = null!;
    private static string s_data = null!;
    private static string[] s_encoder = null!;
    private static Dictionary<string, byte[]> s_serial = null!;
    private static int s_videos;
    private static int s_featureFiles;

    [ClassInitialize]
    public static void SynthesiseAndFeaturiseSerially(TestContext _)
    {
        s_root = Directory.CreateTempSubdirectory("sage-shards-").FullName;
        s_data = Path.Combine(s_root, "data");
        var encoder = Path.Combine(s_root, "face-encoder.onnx");
        GlobalAveragePoolEncoder.Write(encoder);
        // A small face encoder keeps each process to seconds; the sharding does not depend on which encoder runs.
        s_encoder = ["--face-encoder", encoder, "--face-encoder-output", GlobalAveragePoolEncoder.OutputName, "--image-size", "32"];
        SampleProgram.RunSucceeding("synth", "--out", s_data, "--train-videos", "6", "--validation-videos", "2", "--test-videos", "2", "--seconds", "2");
        var serial = Path.Combine(s_root, "serial");
        var run = SampleProgram.Finish(Featurize(serial, null));
        Assert.AreEqual(0, run.ExitCode, run.Output + run.Error);
        StringAssert.Contains(run.Output, "Whole copy (no --shard and no job-array variables): 10 videos (train 6, validation 2, test 2)");
        s_serial = CacheContents(serial);
        s_videos = 10;
        // Faces and audio of 10 videos, less one: the copy's _left/_right pair shares one video file and so one audio file.
        s_featureFiles = s_serial.Keys.Count(f => f.EndsWith(".features", StringComparison.Ordinal));
        Assert.AreEqual(19, s_featureFiles);
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
    public void Featurize_ThreeShardsAtOnceByFlagSlurmAndKubernetes_CacheEqualsSerialRunByteForByte()
    {
        var cache = Path.Combine(s_root, "three-shards");
        Process[] tasks =
        [
            Featurize(cache, null, "--shard", "1/3"),
            // Task 2 of `sbatch --array=1-3 eng/cluster/featurize-slurm.sh`, as Slurm would start it on a node.
            SampleProgram.StartScript("eng/cluster/featurize-slurm.sh", JobArray(new()
            {
                ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_MAX"] = "3", ["SLURM_ARRAY_TASK_COUNT"] = "3",
                ["SAGE_DATA"] = s_data, ["SAGE_CACHE"] = cache,
            }), s_encoder),
            Featurize(cache, new() { ["JOB_COMPLETION_INDEX"] = "2", [SageJobShard.CountVariable] = "3" }),
        ];
        var runs = tasks.Select(SampleProgram.Finish).ToArray();

        foreach (var run in runs)
        {
            Assert.AreEqual(0, run.ExitCode, run.Output + run.Error);
        }
        StringAssert.Contains(runs[0].Output, "Shard 1/3 (--shard 1/3): ");
        StringAssert.Contains(runs[1].Output, "Shard 2/3 (SLURM_ARRAY_TASK_ID=2 of 1-3): ");
        StringAssert.Contains(runs[2].Output, "Shard 3/3 (JOB_COMPLETION_INDEX=2 of 3): ");
        Assert.AreEqual(s_videos, runs.Sum(run => ShardVideos(run.Output)));
        AssertSameAsSerial(cache);
    }

    [TestMethod]
    public void Featurize_KilledMidwayThenRerun_ComputesOnlyWhatIsMissingAndCacheEqualsSerialRun()
    {
        var cache = Path.Combine(s_root, "killed");
        using (var task = Featurize(cache, null))
        {
            var clock = Stopwatch.StartNew();
            while (FeatureFiles(cache).Length == 0 && !task.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(5);
            }
            Assert.IsFalse(task.HasExited, "the task ended before it could be killed");
            task.Kill(entireProcessTree: true);
            task.WaitForExit();
        }
        var before = FeatureFiles(cache).Length;

        var rerun = SampleProgram.Finish(Featurize(cache, null));

        Assert.AreEqual(0, rerun.ExitCode, rerun.Output + rerun.Error);
        var (cached, computed) = Counts(rerun.Output);
        Assert.IsGreaterThanOrEqualTo(1, before);
        Assert.IsLessThan(s_featureFiles, before, "the task was not killed mid-way");
        Assert.AreEqual(2 * s_videos, cached + computed, rerun.Output);
        Assert.AreEqual(s_featureFiles - before, computed, "the rerun computed a file the killed task had finished, or one twice\n" + rerun.Output);
        AssertSameAsSerial(cache);
    }

    [TestMethod]
    public void Featurize_TwoProcessesOnOneShard_BothExitZeroEachVideoComputedOnceAndCacheEqualsSerialRun()
    {
        var cache = Path.Combine(s_root, "doubled");
        var slurm = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "1", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_COUNT"] = "1" };
        Process[] tasks = [Featurize(cache, slurm), Featurize(cache, slurm)];
        var runs = tasks.Select(SampleProgram.Finish).ToArray();

        foreach (var run in runs)
        {
            Assert.AreEqual(0, run.ExitCode, run.Output + run.Error);
        }
        // Each file was paid for once between the two: a process that met the other's claim did other videos, then read its file.
        Assert.AreEqual(s_featureFiles, runs.Sum(run => Counts(run.Output).Computed), string.Join("\n", runs.Select(r => r.Output)));
        AssertSameAsSerial(cache);
    }

    /// <summary>Starts <c>featurize</c> into <paramref name="cache"/> with no job-array variable but those in <paramref name="environment"/>.</summary>
    private static Process Featurize(string cache, Dictionary<string, string?>? environment, params string[] arguments) =>
        SampleProgram.Start(JobArray(environment ?? []), ["featurize", "--data", s_data, "--cache", cache, .. s_encoder, .. arguments]);

    /// <summary>Returns <paramref name="environment"/> with every job-array variable it does not set removed, so the test runner's own environment cannot leak in.</summary>
    private static Dictionary<string, string?> JobArray(Dictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment);
        foreach (var name in s_jobArrayVariables)
        {
            variables.TryAdd(name, null);
        }
        return variables;
    }

    [TestMethod]
    public void KubernetesManifest_ShardCountVariable_EqualsCompletions()
    {
        var manifest = File.ReadAllText(Path.Combine(SampleProgram.RepositoryRoot(), "eng", "cluster", "featurize-job.yaml"));
        var completions = System.Text.RegularExpressions.Regex.Match(manifest, @"\n  completions: (\d+)\n").Groups[1].Value;
        var count = System.Text.RegularExpressions.Regex.Match(manifest, $@"- name: {SageJobShard.CountVariable}\n\s+value: ""(\d+)""").Groups[1].Value;

        Assert.AreEqual("16", completions);
        Assert.AreEqual(completions, count);
        StringAssert.Contains(manifest, "completionMode: Indexed");
    }

    private static void AssertSameAsSerial(string cache)
    {
        var contents = CacheContents(cache);
        CollectionAssert.AreEquivalent(s_serial.Keys.ToArray(), contents.Keys.ToArray());
        foreach (var (file, bytes) in s_serial)
        {
            CollectionAssert.AreEqual(bytes, contents[file], file);
        }
        Assert.IsEmpty(Directory.GetFiles(cache, "*.claim", SearchOption.AllDirectories), "an in-progress marker was left behind");
    }

    /// <summary>Returns every visible file under the cache (features and featurizer.json) by relative path; hidden temporaries are left out.</summary>
    private static Dictionary<string, byte[]> CacheContents(string cache) =>
        Directory.GetFiles(cache, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(cache, f), File.ReadAllBytes);

    private static string[] FeatureFiles(string cache) =>
        Directory.Exists(cache) ? Directory.GetFiles(cache, "*.features", SearchOption.AllDirectories) : [];

    /// <summary>Returns the videos of the shard line, "Shard i/n (…): K of N videos".</summary>
    private static int ShardVideos(string output)
    {
        var line = output.Split('\n').Single(l => l.StartsWith("Shard ", StringComparison.Ordinal));
        return int.Parse(line[(line.IndexOf("): ", StringComparison.Ordinal) + 3)..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Sums "faces|audio: X cached, Y computed" over the run's lines.</summary>
    private static (int Cached, int Computed) Counts(string output)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("faces:", StringComparison.Ordinal) || l.StartsWith("audio:", StringComparison.Ordinal)).ToArray();
        int Sum(string word) => lines.Sum(l => int.Parse(l.Split(' ')[Array.IndexOf(l.Split(' '), word) - 1].TrimEnd(','), CultureInfo.InvariantCulture));
        return (Sum("cached,"), Sum("computed,"));
    }
}

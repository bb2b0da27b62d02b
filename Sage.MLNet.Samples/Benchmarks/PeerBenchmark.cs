using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;
using Sage.MLNet.Samples.Reports;
using Sage.MLNet.Synthetic;

namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>
/// The <c>peer</c> command of the benchmark program: training frames/s of the library against the same network in plain PyTorch
/// (eng/peer/sage_peer.py, eager and TorchScript), each in its own process, one after the other in rounds (PyTorch eager,
/// the library, PyTorch scripted; every second round in the reverse order, so that neither PyTorch form always runs
/// first), on the same shape of data (24 videos of 900 to 1,100 frames, Dv 512, Da 768, clips of 300 every 200, 8 clips a
/// step); prints every round, the medians and the ratios.
/// </summary>
internal static partial class PeerBenchmark
{
    private const int VisualSize = 512;
    private const int AudioSize = 768;

    /// <summary>Returns the benchmark program's <c>peer</c> command.</summary>
    public static Command Create()
    {
        var python = new Option<string>("--python")
        {
            Description = "A Python 3 with PyTorch (and numpy). Default: /usr/bin/python3, Debian's python3-torch.",
            DefaultValueFactory = _ => "/usr/bin/python3",
        };
        var script = new Option<string>("--peer") { Description = "The PyTorch peer. Default: eng/peer/sage_peer.py of the repository." };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Rounds, each running PyTorch eager, the library and PyTorch scripted once (the other way round in even rounds); "
                + "PyTorch's runs vary by a quarter from one to the next, so the medians need five or more.",
            DefaultValueFactory = _ => 5,
        };
        var epochs = new Option<int>("--epochs") { Description = "Timed training epochs in each run (after one warm-up epoch); each run reports their median.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "CPU threads for both.", DefaultValueFactory = _ => 2 };
        var ours = new Option<bool>("--ours") { Description = "Internal: time the library's training once and print it.", Hidden = true };
        var command = new Command("peer", "Training frames/s of the library against the same network in PyTorch (eager and TorchScript), alternating runs; needs PyTorch.")
        {
            python, script, rounds, epochs, threads, ours,
        };
        command.SetAction(parse => parse.GetValue(ours)
            ? TrainOurs(parse.GetValue(epochs), parse.GetValue(threads))
            : Run(parse.GetValue(python)!, parse.GetValue(script) ?? DefaultPeer(), Math.Max(1, parse.GetValue(rounds)),
                Math.Max(1, parse.GetValue(epochs)), parse.GetValue(threads)));
        return command;
    }

    private static int Run(string python, string peer, int rounds, int epochs, int threads)
    {
        if (!File.Exists(peer))
        {
            throw new FileNotFoundException($"The PyTorch peer '{peer}' does not exist: pass --peer with the path of eng/peer/sage_peer.py", peer);
        }
        Console.WriteLine($"{Machine.Describe()}; {Machine.Load()}.");
        Console.WriteLine($"Training frames/s, Dv {VisualSize}, Da {AudioSize}, {threads} threads; each run: one warm-up epoch, then the median of {epochs}.");
        Spread eager = new(), scripted = new(), library = new(), overEager = new(), overScripted = new();
        for (var round = 1; round <= rounds; round++)
        {
            double e, l, s;
            if (round % 2 == 1)
            {
                e = Peer(python, peer, "eager", epochs, threads);
                l = Ours(epochs, threads);
                s = Peer(python, peer, "script", epochs, threads);
            }
            else
            {
                s = Peer(python, peer, "script", epochs, threads);
                l = Ours(epochs, threads);
                e = Peer(python, peer, "eager", epochs, threads);
            }
            eager.Add(e);
            library.Add(l);
            scripted.Add(s);
            overEager.Add(l / e);
            overScripted.Add(l / s);
            Console.WriteLine($"Round {round}: PyTorch eager {e,7:N0}   Sage.MLNet {l,7:N0}   PyTorch scripted {s,7:N0}   ({Machine.Load()})");
        }
        Console.WriteLine($"PyTorch eager:     {eager} frames/s, median (min–max) of {rounds} runs");
        Console.WriteLine($"PyTorch scripted:  {scripted}");
        Console.WriteLine($"Sage.MLNet:        {library}");
        Console.WriteLine($"Sage.MLNet / PyTorch eager:    {library.Median / eager.Median:F2}× (medians); per round {overEager.ToString("F2")}");
        Console.WriteLine($"Sage.MLNet / PyTorch scripted: {library.Median / scripted.Median:F2}× (medians); per round {overScripted.ToString("F2")}");
        return 0;
    }

    /// <summary>Runs the PyTorch peer once and returns the median training frames/s it printed.</summary>
    private static double Peer(string python, string peer, string mode, int epochs, int threads)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-W", "ignore", peer, "--mode", mode, "--epochs", $"{epochs}", "--inference-reps", "1", "--threads", $"{threads}" })
        {
            start.ArgumentList.Add(argument);
        }
        // Debian's PyTorch links the reference BLAS; OpenBLAS (libopenblas0-openmp) is what a researcher would run.
        const string OpenBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
        if (Directory.Exists(OpenBlas))
        {
            start.Environment["LD_LIBRARY_PATH"] = OpenBlas;
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{python}'");
        var errors = child.StandardError.ReadToEndAsync();
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the PyTorch peer ('{python} {peer} --mode {mode}') exited with {child.ExitCode}: {errors.Result}");
        }
        var match = TrainingLine().Match(output);
        return match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"the PyTorch peer printed no 'Training frames/s ... median' line: {output}");
    }

    /// <summary>Runs <see cref="TrainOurs"/> in a fresh process and returns its frames/s.</summary>
    private static double Ours(int epochs, int threads)
    {
        var output = ChildProcess.Run("peer", "--ours", "--epochs", $"{epochs}", "--threads", $"{threads}");
        return double.Parse(output.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Trains the default network on rows held in memory for 1 + <paramref name="epochs"/> epochs and prints the median frames/s of the last <paramref name="epochs"/>.</summary>
    private static int TrainOurs(int epochs, int threads)
    {
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.CreateEnumerable<Row>(
            SyntheticVideoFeatures.Create(ml, 24, VisualSize, AudioSize, minFrames: 900, maxFrames: 1100), reuseRowObject: false).ToList();
        var rates = new Spread();
        var epoch = 0;
        var options = new SageOptions
        {
            VisualFeatureSize = VisualSize, AudioFeatureSize = AudioSize, MaxEpochs = 1 + epochs, TrainingThreads = threads,
            Progress = new Progress(p => { if (++epoch > 1) { rates.Add(p.FramesPerSecond); } }),
        };
        using (ml.Transforms.Sage(options).Fit(ml.Data.LoadFromEnumerable(rows)))
        {
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rates.Median:F0} frames/s, epochs {rates}"));
        return 0;
    }

    /// <summary>Returns eng/peer/sage_peer.py of the repository this program was built from, found upwards from the program.</summary>
    private static string DefaultPeer()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "eng", "peer", "sage_peer.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return Path.Combine("eng", "peer", "sage_peer.py");
    }

    [GeneratedRegex(@"Training frames/s.*?median\s+([0-9.]+)")]
    private static partial Regex TrainingLine();

    private sealed class Progress(Action<SageTrainingProgress> report) : IProgress<SageTrainingProgress>
    {
        public void Report(SageTrainingProgress value) => report(value);
    }

    private sealed class Row
    {
        public float[] VisualFeatures { get; set; } = [];

        public float[] AudioFeatures { get; set; } = [];

        public float[] Valence { get; set; } = [];

        public float[] Arousal { get; set; } = [];
    }
}

using System.CommandLine;
using Sage.MLNet.Samples;

// One command per task; run with --help to see them.
var root = new RootCommand("Sage.MLNet samples: SAGE valence-arousal estimation in ML.NET.")
{
    QuickstartCommand.Create(),
    BenchmarkCommand.Create(),
};
return root.Parse(args).Invoke();

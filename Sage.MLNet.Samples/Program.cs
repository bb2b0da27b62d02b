using System.CommandLine;
using Sage.MLNet.Samples;
using Sage.MLNet.Samples.Commands;

// One command per task; run with --help to see them.
var root = new RootCommand("Sage.MLNet samples: SAGE valence-arousal estimation in ML.NET.")
{
    DemoCommand.Create(),
    SynthCommand.Create(),
    ValidateCommand.Create(),
    FeaturizeCommand.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ServeCommand.Create(),
    LiveCommand.Create(),
    QuickstartCommand.Create(),
    RobustnessCommand.Create(),
};
return root.Parse(args).Invoke();

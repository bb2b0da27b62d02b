using System.CommandLine;

namespace Sage.MLNet.Samples.Workflow;

/// <summary>The command-line options of the training schedule (<c>--epochs</c>, <c>--batch-size</c> …) of K-fold training (<c>--folds</c>, <c>--selection</c>) and of face augmentation (<c>--augment-faces</c>).</summary>
internal sealed class TrainingOptions
{
    private readonly Option<int> _epochs;
    private readonly Option<int> _batchSize = new("--batch-size") { Description = "Clips per optimisation step.", DefaultValueFactory = _ => 8 };
    private readonly Option<double> _learningRate = new("--learning-rate") { Description = "AdamW learning rate.", DefaultValueFactory = _ => 1e-3 };
    private readonly Option<int> _patience;
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of initialisation, dropout and shuffling.", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _threads = new("--threads") { Description = "CPU threads for training; 0 uses one per core.", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _folds = new("--folds")
    {
        Description = "Cross-validation folds K of the Train videos (a video's _left and _right stay together), each model scored on Validation; 1 trains one model.",
        DefaultValueFactory = _ => 1,
    };
    private readonly Option<string> _selection = new("--selection")
    {
        Description = $"How the K fold models become one: {FoldSelectionName.TargetWise} (valence and arousal each from the fold best on it on Validation) or {FoldSelectionName.Average}.",
        DefaultValueFactory = _ => FoldSelectionName.TargetWise,
        HelpName = $"{FoldSelectionName.TargetWise}|{FoldSelectionName.Average}",
    };

    private readonly Option<bool> _augmentFaces = new("--augment-faces")
    {
        Description = "Random crop and horizontal flip of the Train videos' face crops, as in the paper (one repeatable draw per crop and seed); Validation, Test and the saved model never augment.",
    };

    /// <summary>Creates the options with the given defaults for the number of epochs and the early-stopping patience.</summary>
    public TrainingOptions(int defaultEpochs, int defaultPatience)
    {
        _epochs = new("--epochs") { Description = "Most passes over the training videos.", DefaultValueFactory = _ => defaultEpochs };
        _patience = new("--patience")
        {
            Description = "Epochs without a better validation CCC (with --folds, on the fold's held-out videos) before training stops; 0 never stops early.",
            DefaultValueFactory = _ => defaultPatience,
        };
        _selection.Validators.Add(result =>
        {
            // One line naming the value, where AcceptOnlyFromAmong would list the choices over several lines.
            if (result.GetValueOrDefault<string>() is not (FoldSelectionName.TargetWise or FoldSelectionName.Average) and var name)
            {
                result.AddError($"{_selection.Name} must be {FoldSelectionName.TargetWise} or {FoldSelectionName.Average}, got '{name}'");
            }
        });
        foreach (var option in new[] { _epochs, _batchSize, _folds })
        {
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 1)
                {
                    result.AddError($"{option.Name} must be at least 1, got {result.GetValueOrDefault<int>()}");
                }
            });
        }
    }

    /// <summary>Adds every training option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _epochs, _batchSize, _learningRate, _patience, _seed, _threads, _folds, _selection, _augmentFaces })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Returns the schedule given on the command line, defaults filled in.</summary>
    public TrainingSettings Read(ParseResult parse) => new(
        parse.GetValue(_epochs), parse.GetValue(_batchSize), parse.GetValue(_learningRate),
        parse.GetValue(_patience), parse.GetValue(_seed), parse.GetValue(_threads),
        parse.GetValue(_folds), FoldSelectionName.Parse(parse.GetValue(_selection)!), parse.GetValue(_augmentFaces));
}

namespace Sage.MLNet.Samples.Workflow;

/// <summary>Where a run writes its files: the model zip, the weights (one file per fold for K-fold training), metrics.json and the plots.</summary>
/// <param name="Root">The output folder.</param>
internal sealed record RunFolder(string Root)
{
    /// <summary>Gets the model zip, with the featurizers' settings inside.</summary>
    public string Model => Path.Combine(Root, "sage.zip");

    /// <summary>Gets the TorchSharp weights, for fine-tuning.</summary>
    public string Checkpoint => Path.Combine(Root, "sage.ckpt");

    /// <summary>Returns the TorchSharp weights of one cross-validation fold, counted from 1.</summary>
    public string FoldCheckpoint(int fold) => Path.Combine(Root, $"sage-fold{fold}.ckpt");

    /// <summary>Gets the folder of PNG plots.</summary>
    public string Plots => Path.Combine(Root, "plots");

    /// <summary>Returns the folder, created when missing.</summary>
    public static RunFolder Create(string root)
    {
        Directory.CreateDirectory(root);
        return new RunFolder(Path.GetFullPath(root));
    }
}

namespace Sage.MLNet.Samples.Terminal;

/// <summary>One long step on screen (featurising a split, training): how far it got and lines worth keeping.</summary>
internal abstract class ProgressStep
{
    /// <summary>Moves the step to <paramref name="done"/> of its total, naming the item just finished (empty when a note already said it).</summary>
    public abstract void Advance(int done, string item);

    /// <summary>Prints a line that stays on screen after the step ends, such as one epoch's loss.</summary>
    public abstract void Note(string line);
}

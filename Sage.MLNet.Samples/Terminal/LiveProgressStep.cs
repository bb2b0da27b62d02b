using Spectre.Console;

namespace Sage.MLNet.Samples.Terminal;

/// <summary>Progress as a Spectre.Console bar redrawn in place, for an interactive terminal.</summary>
internal sealed class LiveProgressStep(ProgressTask task) : ProgressStep
{
    public override void Advance(int done, string item) => task.Value = done;

    public override void Note(string line) => AnsiConsole.WriteLine($"  {line}");
}

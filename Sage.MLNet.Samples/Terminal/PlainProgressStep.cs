namespace Sage.MLNet.Samples.Terminal;

/// <summary>Progress as plain lines, for logs and CI where output is redirected: one line per item, no redrawing.</summary>
internal sealed class PlainProgressStep(string title, int total) : ProgressStep
{
    public override void Advance(int done, string item) => Console.WriteLine($"  {title} [{done}/{total}] {item}");

    public override void Note(string line) => Console.WriteLine($"  {line}");
}

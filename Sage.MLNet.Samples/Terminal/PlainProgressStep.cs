namespace Sage.MLNet.Samples.Terminal;

/// <summary>Progress as plain lines, for logs and CI where output is redirected: one line per named item, no redrawing.</summary>
internal sealed class PlainProgressStep(string title, int total) : ProgressStep
{
    public override void Advance(int done, string item)
    {
        if (item.Length > 0)
        {
            Console.WriteLine($"  {title} [{done}/{total}] {item}");
        }
    }

    public override void Note(string line) => Console.WriteLine($"  {line}");
}

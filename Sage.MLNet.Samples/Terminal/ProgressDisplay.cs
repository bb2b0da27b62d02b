using Spectre.Console;

namespace Sage.MLNet.Samples.Terminal;

/// <summary>Runs a long step under a progress bar, or under plain progress lines when output is not an interactive terminal.</summary>
internal static class ProgressDisplay
{
    /// <summary>Returns what <paramref name="work"/> returns, showing its progress towards <paramref name="total"/> items.</summary>
    public static T Run<T>(string title, int total, Func<ProgressStep, T> work)
    {
        if (!IsInteractive)
        {
            Console.WriteLine($"{title}: {total} to do");
            return work(new PlainProgressStep(title, total));
        }
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new LiveProgressStep(context.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1)))));
    }

    /// <summary>Gets whether standard output is an interactive terminal that can redraw (Spectre bars and tables) rather than a log.</summary>
    public static bool IsInteractive =>
        !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;
}

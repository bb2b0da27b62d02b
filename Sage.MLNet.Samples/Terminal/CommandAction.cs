namespace Sage.MLNet.Samples.Terminal;

/// <summary>Runs a command's work and turns the errors a user causes into one line on standard error and exit code 1.</summary>
internal static class CommandAction
{
    /// <summary>The exit code of a command that failed because of its input.</summary>
    public const int UserErrorExitCode = 1;

    /// <summary>Returns <paramref name="work"/>'s exit code, or <see cref="UserErrorExitCode"/> after printing the message of an input error.</summary>
    /// <remarks>
    /// Missing, damaged or occupied files and folders (<see cref="IOException"/> and its kin) are the user's to fix, and the library's messages name them; any other
    /// exception is a bug and keeps its stack trace.
    /// </remarks>
    public static int Run(Func<int> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is UserInputException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserErrorExitCode;
        }
    }
}

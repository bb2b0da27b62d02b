using System.CommandLine;
using Microsoft.ML;
using Sage.MLNet.Samples.Terminal;

namespace Sage.MLNet.Samples.Commands;

/// <summary><c>validate --data ROOT</c>: lists what is missing or inconsistent in each split of an Aff-Wild2 copy; exits 1 when a split has errors.</summary>
internal static class ValidateCommand
{
    /// <summary>Returns the <c>validate</c> command with its options and action.</summary>
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var command = new Command("validate", "Check an Aff-Wild2 copy: annotation files, face crops, video files, test list.") { data };
        command.SetAction(parse => CommandAction.Run(() => Run(parse.GetValue(data)!)));
        return command;
    }

    private static int Run(DirectoryInfo data)
    {
        var ml = new MLContext();
        var errors = false;
        foreach (var split in Enum.GetValues<AffWild2Split>())
        {
            var report = ml.Data.ValidateAffWild2(data.FullName, split);
            Console.WriteLine($"{split}: {report}");
            errors |= report.HasErrors;
        }
        Console.WriteLine(errors ? "The copy has errors; fix them before training." : "The copy is usable.");
        return errors ? CommandAction.UserErrorExitCode : 0;
    }
}

namespace Sage.MLNet.Tests.Samples;

/// <summary>What one run of the sample program gave.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Everything it wrote to standard output.</param>
/// <param name="Error">Everything it wrote to standard error.</param>
internal sealed record ProgramRun(int ExitCode, string Output, string Error);

namespace Sage.MLNet.Samples.Terminal;

/// <summary>A mistake in how the program was called (a missing folder, a model file that is not there), reported as one line without a stack trace.</summary>
internal sealed class UserInputException(string message) : Exception(message);

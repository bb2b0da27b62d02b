namespace Sage.MLNet;

/// <summary>
/// Thrown when TorchSharp's native libraries (libLibTorchSharp and libtorch) cannot be loaded. The message
/// gives the loader's reason and how to fix it.
/// </summary>
public sealed class SageNativeLibraryException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that says what failed, why, and how to fix it.</summary>
    /// <param name="message">The explanation.</param>
    /// <param name="innerException">The exception thrown while loading the native library.</param>
    public SageNativeLibraryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

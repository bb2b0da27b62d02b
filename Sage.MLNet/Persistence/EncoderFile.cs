using Sage.MLNet.IO;

namespace Sage.MLNet.Persistence;

/// <summary>
/// Finds the encoder files a saved model's featurizers need on this machine and checks that each has the bytes the model
/// was trained with, so a model never scores features from another encoder.
/// </summary>
internal sealed class EncoderFile
{
    private readonly string _modelPath;
    private readonly IReadOnlyDictionary<string, string> _overrides;

    /// <param name="modelPath">The model zip, for messages.</param>
    /// <param name="overrides">Encoder paths as saved, mapped to where those files are on this machine.</param>
    public EncoderFile(string modelPath, IReadOnlyDictionary<string, string>? overrides)
    {
        _modelPath = modelPath;
        _overrides = overrides ?? new Dictionary<string, string>();
    }

    /// <summary>Returns the SHA-256 of a file's bytes as 64 lower-case hex digits.</summary>
    public static string Sha256(string path) => KeyHash.OfFile(path);

    /// <summary>Returns where the encoder saved as <paramref name="savedPath"/> is on this machine, after checking its hash.</summary>
    public string Resolve(string role, string savedPath, string expectedSha256)
    {
        var path = _overrides.TryGetValue(savedPath, out var local) ? local : savedPath;
        Check(path == savedPath ? $"{role} '{savedPath}'" : $"{role} '{savedPath}' (overridden by '{path}')", path, expectedSha256);
        return path;
    }

    /// <summary>Throws unless the file at <paramref name="path"/> exists and hashes to <paramref name="expectedSha256"/>.</summary>
    public void Check(string encoder, string path, string expectedSha256)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The {encoder} that model file '{_modelPath}' was trained with is not at '{path}' (expected SHA-256 {expectedSha256}); " +
                "copy it there or map its saved path to where it is with the encoderPaths argument");
        }
        var actual = Sha256(path);
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"The {encoder} at '{path}' differs from the one model file '{_modelPath}' was trained with: expected SHA-256 {expectedSha256}, actual {actual}. " +
                "Features from another encoder would give wrong predictions; use the original encoder file or retrain the model");
        }
    }

    /// <summary>Returns the error for a featurization entry this library cannot rebuild from.</summary>
    public InvalidDataException Invalid(string problem) =>
        new($"Model file '{_modelPath}': entry '{FeaturizationFile.EntryName}' is not valid: {problem}");

    /// <summary>Runs a catalog call on saved settings, reporting settings it rejects as a fault of the model file.</summary>
    public T Guard<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Model file '{_modelPath}': entry '{FeaturizationFile.EntryName}' holds a setting the featurizer rejects: {e.Message}", e);
        }
    }
}

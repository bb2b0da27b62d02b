namespace Sage.MLNet.Data;

/// <summary>
/// The one way the library rejects an options object: each options class has an <c>…OptionsCheck.Validate</c> in its layer's
/// folder, called where the options are handed over (a catalog call, <c>Generate</c>, <c>Fill</c>), that states each rule through
/// <see cref="Require"/>. A broken rule throws <see cref="ArgumentOutOfRangeException"/> whose parameter name is the option's and
/// whose message is "{option} {rule}.", so every options class fails the same way.
/// </summary>
internal static class OptionsCheck
{
    /// <summary>Throws unless <paramref name="condition"/> holds: <paramref name="name"/> with <paramref name="value"/> breaks <paramref name="rule"/>.</summary>
    public static void Require(bool condition, object? value, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}.");
        }
    }

    /// <summary>Requires a positive value.</summary>
    public static void Positive(int value, string name) => Require(value > 0, value, name, "must be positive");

    /// <summary>Requires a column name: neither null, empty nor white space.</summary>
    public static void ColumnName(string? value, string name) => Require(!string.IsNullOrWhiteSpace(value), value, name, "must name a column");

    /// <summary>Requires null or a usable folder name for a feature cache.</summary>
    public static void CacheFolder(string? value, string name) =>
        Require(value is null || !string.IsNullOrWhiteSpace(value), value, name, "must be null (no cache) or a folder");

    /// <summary>Requires a defined value of the enum.</summary>
    public static void Defined<TEnum>(TEnum value, string name) where TEnum : struct, Enum =>
        Require(Enum.IsDefined(value), value, name, "is not a defined value");
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Sage.MLNet.Data;

/// <summary>
/// The one check that an input column exists and has the expected type, on a schema (Fit, Transform) or a schema shape
/// (GetOutputSchema), with ML.NET's wording: <c>Could not find {role} column '{name}'</c> and
/// <c>Schema mismatch for {role} column '{name}': expected {type}, got {type}</c>, as an <see cref="ArgumentOutOfRangeException"/>
/// on <c>inputSchema</c>. Every estimator and transformer of the library checks its columns through it.
/// </summary>
internal static class ColumnCheck
{
    private const string SingleVector = "vector of Single";

    /// <summary>Checks that column <paramref name="name"/> is a vector (of any length) of Single.</summary>
    public static void Vector(DataViewSchema schema, string role, string name)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(role, name);
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType itemType } || itemType != NumberDataViewType.Single)
        {
            throw Mismatch(role, name, SingleVector, Describe(column.Type));
        }
    }

    /// <inheritdoc cref="Vector(DataViewSchema, string, string)"/>
    public static void Vector(SchemaShape shape, string role, string name)
    {
        var column = Find(shape, role, name);
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar || column.ItemType != NumberDataViewType.Single)
        {
            var kind = column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "vector of ";
            throw Mismatch(role, name, SingleVector, kind + column.ItemType);
        }
    }

    /// <summary>Checks that column <paramref name="name"/> is a scalar of type <paramref name="expected"/>.</summary>
    /// <param name="schema">The schema to look in.</param>
    /// <param name="role">What the column holds, as error messages name it.</param>
    /// <param name="name">The column's name.</param>
    /// <param name="expected">Its type.</param>
    /// <param name="whenMissing">Advice appended to the message when the column is missing, or null.</param>
    public static void Scalar(DataViewSchema schema, string role, string name, PrimitiveDataViewType expected, string? whenMissing = null)
    {
        var actual = (schema.GetColumnOrNull(name) ?? throw Missing(role, name, whenMissing)).Type;
        if (!actual.Equals(expected))
        {
            throw Mismatch(role, name, Describe(expected), Describe(actual));
        }
    }

    /// <inheritdoc cref="Scalar(DataViewSchema, string, string, PrimitiveDataViewType, string?)"/>
    public static void Scalar(SchemaShape shape, string role, string name, PrimitiveDataViewType expected)
    {
        var column = Find(shape, role, name);
        // A vector of the right item type is still the wrong type; report it as ML.NET would.
        DataViewType actual = column.Kind == SchemaShape.Column.VectorKind.Scalar
            ? column.ItemType
            : new VectorDataViewType((PrimitiveDataViewType)column.ItemType);
        if (!actual.Equals(expected))
        {
            throw Mismatch(role, name, Describe(expected), Describe(actual));
        }
    }

    private static SchemaShape.Column Find(SchemaShape shape, string role, string name)
    {
        var column = shape.LastOrDefault(c => c.Name == name);
        return column.Name is null ? throw Missing(role, name) : column;
    }

    private static string Describe(DataViewType type) => type.ToString() ?? type.GetType().Name;

    private static ArgumentOutOfRangeException Missing(string role, string name, string? advice = null) =>
        new("inputSchema", $"Could not find {role} column '{name}'" + (advice is null ? "" : $"; {advice}"));

    private static ArgumentOutOfRangeException Mismatch(string role, string name, string expected, string actual) =>
        new("inputSchema", $"Schema mismatch for {role} column '{name}': expected {expected}, got {actual}");
}

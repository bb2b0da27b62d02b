namespace Sage.MLNet.Samples.Benchmarks;

/// <summary>Collects measurements as rows of (what, value, unit, comment) and prints them as an aligned table.</summary>
internal sealed class ResultTable
{
    private readonly List<(string What, string Value, string Unit, string Comment)> _rows = [];

    /// <summary>Adds a row and prints it at once, so that progress shows and a later failure loses nothing.</summary>
    public void Add(string what, string value, string unit, string comment = "")
    {
        _rows.Add((what, value, unit, comment));
        Console.WriteLine($"  {what}: {value} {unit} {comment}");
    }

    /// <summary>Prints every row as a table with aligned columns.</summary>
    public void Print(TextWriter writer)
    {
        var what = _rows.Select(r => r.What.Length).Append("Measurement".Length).Max();
        var value = _rows.Select(r => r.Value.Length).Append("Value".Length).Max();
        var unit = _rows.Select(r => r.Unit.Length).Append("Unit".Length).Max();
        writer.WriteLine();
        writer.WriteLine($"{"Measurement".PadRight(what)} | {"Value".PadLeft(value)} | {"Unit".PadRight(unit)} | Comment");
        writer.WriteLine($"{new string('-', what)}-|-{new string('-', value)}-|-{new string('-', unit)}-|--------");
        foreach (var row in _rows)
        {
            writer.WriteLine($"{row.What.PadRight(what)} | {row.Value.PadLeft(value)} | {row.Unit.PadRight(unit)} | {row.Comment}");
        }
    }
}

using Spectre.Console;

namespace KvPerf.Report;

/// <summary>
/// The look of every table perf/ prints: simple borders, one space between columns, no wrapping,
/// numbers right-aligned, so a table fits an 80-column terminal or CI log (the JSON has every figure).
/// </summary>
public static class CompactTable
{
    /// <summary>Styles <paramref name="table"/>, whose columns are all added; the first column stays left-aligned.</summary>
    public static Table Apply(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.Border(TableBorder.Simple);
        foreach (var column in table.Columns)
        {
            column.Padding(0, 0, 1, 0).NoWrap();
            if (column != table.Columns[0])
            {
                column.RightAligned();
            }
        }

        return table;
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace KvPerf.Cli;

/// <summary>
/// The option shapes both commands (the experiment and <c>bench</c>) use: bounded integers and
/// comma-separated lists, each validated before anything starts.
/// </summary>
internal static class OptionFactory
{
    /// <summary>An integer option that must be at least 1.</summary>
    public static Option<int> Positive(string name, int fallback, string description) =>
        Bounded(name, fallback, description, 1);

    /// <summary>An integer option that must be at least 0.</summary>
    public static Option<int> NonNegative(string name, int fallback, string description) =>
        Bounded(name, fallback, description, 0);

    /// <summary>
    /// A comma-separated list of integers from <paramref name="minimum"/> to <paramref name="maximum"/>
    /// (<c>--clients 1,10,64</c>; the flag may also be repeated), at least one.
    /// </summary>
    public static Option<int[]> IntegerList(string name, int[] fallback, int minimum, int maximum, string what, string description) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = result => ParseIntegers(result, name, minimum, maximum, what),
        };

    /// <summary>
    /// A comma-separated list of words from <paramref name="known"/>, at least one, duplicates dropped
    /// and the order kept.
    /// </summary>
    public static Option<string[]> WordList(string name, string[] fallback, IReadOnlyList<string> known, string description) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => fallback,
            CustomParser = result => ParseWords(result, name, known),
        };

    /// <summary><c>--out</c>: the folder the results files go to (results).</summary>
    public static Option<string> OutDirectory() =>
        new("--out") { Description = "Output folder.", DefaultValueFactory = _ => "results" };

    /// <summary><c>--kvhost-path</c>: a KvHost binary for the local cluster instead of a Release build of this tree.</summary>
    public static Option<string?> KvHostPath() =>
        new("--kvhost-path")
        {
            Description = "The KvHost binary for the local cluster (default: build KvHost in Release and run its output).",
        };

    /// <summary><c>--report-only</c>, described by what it rebuilds.</summary>
    public static Option<bool> ReportOnly(string description) => new("--report-only") { Description = description };

    private static Option<int> Bounded(string name, int fallback, string description, int minimum)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
            {
                result.AddError($"{name} must be at least {minimum}.");
            }
        });
        return option;
    }

    private static int[] ParseIntegers(ArgumentResult result, string name, int minimum, int maximum, string what)
    {
        var values = new List<int>();
        foreach (var item in SplitTokens(result))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
            {
                result.AddError($"{name}: '{item}' is not {what} from {minimum} to {maximum}.");
                return [];
            }

            values.Add(value);
        }

        return values.Count > 0 ? [.. values.Distinct()] : Fail<int>(result, $"{name} needs at least one value.");
    }

    private static string[] ParseWords(ArgumentResult result, string name, IReadOnlyList<string> known)
    {
        var values = SplitTokens(result).Distinct(StringComparer.Ordinal).ToArray();
        var unknown = values.FirstOrDefault(v => !known.Contains(v, StringComparer.Ordinal));
        if (unknown is not null)
        {
            result.AddError($"{name}: '{unknown}' is not one of {string.Join(", ", known)}.");
            return [];
        }

        return values.Length > 0 ? values : Fail<string>(result, $"{name} needs at least one value.");
    }

    private static IEnumerable<string> SplitTokens(ArgumentResult result) =>
        result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static T[] Fail<T>(ArgumentResult result, string error)
    {
        result.AddError(error);
        return [];
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace KvHost.Tests.TestKit;

/// <summary>
/// One scrape of <c>GET /metrics</c>, parsed from the Prometheus text format (0.0.4): every sample line
/// <c>name{label="value",...} number</c>; comments (<c># HELP</c>, <c># TYPE</c>) are kept by name for the specs
/// that check them.
/// </summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(IReadOnlyList<Sample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Each metric family's <c># TYPE</c>: counter, gauge, histogram.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static async Task<PrometheusScrape> ScrapeAsync(HttpClient http, Uri node)
    {
        using var response = await http.GetAsync(new Uri(node, "/metrics"));
        response.EnsureSuccessStatusCode();
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<Sample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a Prometheus sample line: {line}");
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(samples, types);
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include every pair of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> All(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    /// <summary>The one sample of <paramref name="name"/> with these labels; fails when there is none or more than one.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) => All(name, labels).Should().ContainSingle($"one {name} sample with {string.Join(',', labels)}").Which.Value;

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPair();
}

namespace KvPerf.Results;

/// <summary>
/// The whole benchmark as written to <c>results/bench.json</c>:
/// <c>{"machine", "config", "cases": [...], "footprints": [...]}</c>, camelCase. The table and
/// the chart are built from this object only, so they can be rebuilt from the file.
/// </summary>
/// <param name="Machine">The machine and commit.</param>
/// <param name="Config">The settings.</param>
/// <param name="Cases">Every case, in the order run.</param>
/// <param name="Footprints">Per system: memory under load and idle CPU.</param>
public sealed record BenchResults(
    BenchMachine Machine,
    BenchConfig Config,
    IReadOnlyList<BenchCase> Cases,
    IReadOnlyList<SystemFootprint> Footprints)
{
    /// <summary>The system name of the yardstick every ratio divides by.</summary>
    public const string Yardstick = Bench.BenchSystems.Redis;

    /// <summary>
    /// Fills in each case's <see cref="BenchCase.RatioToRedis"/>: its writes/s over Redis's at the
    /// same W and clients, rounded to 3 decimals.
    /// </summary>
    public static IReadOnlyList<BenchCase> WithRatios(IEnumerable<BenchCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var all = cases.ToArray();
        var redis = all
            .Where(c => c.System == Yardstick && c.Measured.WritesPerSecond > 0)
            .ToDictionary(c => (c.WriteQuorum, c.Clients), c => c.Measured.WritesPerSecond);
        return all
            .Select(c => c with
            {
                RatioToRedis = redis.TryGetValue((c.WriteQuorum, c.Clients), out var yardstick)
                    ? Math.Round(c.Measured.WritesPerSecond / yardstick, 3)
                    : null,
            })
            .ToArray();
    }

    /// <summary>Writes the results to <paramref name="path"/>, replacing it only once fully written.</summary>
    public Task WriteAsync(string path, CancellationToken ct) => ResultsFile.WriteAsync(this, path, ct);

    /// <summary>Reads results written by <see cref="WriteAsync"/>.</summary>
    public static Task<BenchResults> ReadAsync(string path, CancellationToken ct) => ResultsFile.ReadAsync<BenchResults>(path, ct);
}

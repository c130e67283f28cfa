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
    /// <summary>The system name of the yardstick every ratio to Redis divides by.</summary>
    public const string Yardstick = Bench.BenchSystems.Redis;

    /// <summary>
    /// Fills in each case's <see cref="BenchCase.RatioToRedis"/>, its writes/s over Redis's at the
    /// same W and clients, and for a durable local system its <see cref="BenchCase.RatioToMemory"/>,
    /// its writes/s over the in-memory local cluster's at the same W and clients; both rounded to
    /// 3 decimals.
    /// </summary>
    public static IReadOnlyList<BenchCase> WithRatios(IEnumerable<BenchCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var all = cases.ToArray();

        // A divisor that wrote nothing gives no ratio rather than an infinite one.
        var writesPerSecond = all
            .Where(c => c.Measured.WritesPerSecond > 0)
            .ToDictionary(c => (c.System, c.WriteQuorum, c.Clients), c => c.Measured.WritesPerSecond);
        double? RatioTo(BenchCase c, string? system) =>
            system is not null && writesPerSecond.TryGetValue((system, c.WriteQuorum, c.Clients), out var divisor)
                ? Math.Round(c.Measured.WritesPerSecond / divisor, 3)
                : null;

        return all
            .Select(c => c with
            {
                RatioToRedis = RatioTo(c, Yardstick),
                RatioToMemory = RatioTo(c, Bench.BenchSystems.InMemoryCounterpartOf(c.System)),
            })
            .ToArray();
    }

    /// <summary>Writes the results to <paramref name="path"/>, replacing it only once fully written.</summary>
    public Task WriteAsync(string path, CancellationToken ct) => ResultsFile.WriteAsync(this, path, ct);

    /// <summary>Reads results written by <see cref="WriteAsync"/>.</summary>
    public static Task<BenchResults> ReadAsync(string path, CancellationToken ct) => ResultsFile.ReadAsync<BenchResults>(path, ct);
}

namespace KvPerf.Results;

/// <summary>
/// The restart measurement as written to <c>results/restart.json</c>:
/// <c>{"machine", "config", "cases": [...]}</c>, camelCase, one case per data size.
/// </summary>
/// <param name="Machine">The machine and commit.</param>
/// <param name="Config">The settings every case ran with.</param>
/// <param name="Cases">One per data size, in the order run.</param>
public sealed record RestartResults(RestartMachine Machine, RestartConfig Config, IReadOnlyList<RestartCase> Cases)
{
    /// <summary>Writes the results to <paramref name="path"/> (see <see cref="ResultsFile"/>).</summary>
    public Task WriteAsync(string path, CancellationToken ct) => ResultsFile.WriteAsync(this, path, ct);

    /// <summary>Reads results written by <see cref="WriteAsync"/>.</summary>
    public static Task<RestartResults> ReadAsync(string path, CancellationToken ct) => ResultsFile.ReadAsync<RestartResults>(path, ct);
}

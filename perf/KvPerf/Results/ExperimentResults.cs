namespace KvPerf.Results;

/// <summary>
/// The whole experiment as written to <c>results/quorum-latency.json</c>:
/// <c>{"config": {...}, "sweeps": [{"ackMode", "runs": [...]}, ...]}</c>, camelCase, the shape
/// the README documents. The report is built from this object only, so it can be rebuilt from the file.
/// </summary>
/// <param name="Config">The settings measured with.</param>
/// <param name="Sweeps">One per ack mode.</param>
public sealed record ExperimentResults(ExperimentConfig Config, IReadOnlyList<SweepResult> Sweeps)
{
    /// <summary>Writes the results to <paramref name="path"/>, replacing it only once fully written.</summary>
    public Task WriteAsync(string path, CancellationToken ct) => ResultsFile.WriteAsync(this, path, ct);

    /// <summary>Reads results written by <see cref="WriteAsync"/>.</summary>
    public static Task<ExperimentResults> ReadAsync(string path, CancellationToken ct) =>
        ResultsFile.ReadAsync<ExperimentResults>(path, ct);
}

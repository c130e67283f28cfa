using KvPerf.Statistics;

namespace KvPerf.Results;

/// <summary>
/// One measured case of the benchmark: one system, one W, one number of closed-loop clients.
/// </summary>
/// <param name="System">The system's name, one of <see cref="Bench.BenchSystems"/>'s, e.g. <c>kvstore local (memory)</c>.</param>
/// <param name="WriteQuorum">W: replicas each write waited for (kvstore's WRITE_QUORUM, Redis's <c>WAIT W 0</c>).</param>
/// <param name="Clients">Closed-loop clients, each on its own connection with one write in flight.</param>
/// <param name="Measured">Writes/s, latency percentiles (ms) and errors of the measurement window.</param>
/// <param name="ErrorsByReason">The window's failed writes by reason, e.g. <c>{"HTTP 504": 2}</c>.</param>
/// <param name="RatioToRedis">
/// This case's writes/s divided by Redis's at the same W and clients (1 for Redis itself);
/// <see langword="null"/> when Redis was not measured or wrote nothing in that case.
/// </param>
/// <param name="RssMb">The nodes' resident memory summed, in MB, sampled at the end of the window under load.</param>
/// <param name="NodesRssMb">The same per node, by node name.</param>
/// <param name="MachineLoad1m">The machine's 1-minute load average at the end of the window.</param>
/// <param name="RatioToMemory">
/// For a durable local system, its writes/s divided by the in-memory local cluster's at the same
/// W and clients (<see cref="Bench.BenchSystems.InMemoryCounterpartOf"/>): what its disk costs.
/// <see langword="null"/> for the other systems, when the in-memory one was not measured or wrote
/// nothing, and in results files written before there were durable targets.
/// </param>
public sealed record BenchCase(
    string System,
    int WriteQuorum,
    int Clients,
    ThroughputSummary Measured,
    IReadOnlyDictionary<string, long> ErrorsByReason,
    double? RatioToRedis,
    double? RssMb,
    IReadOnlyDictionary<string, double?> NodesRssMb,
    double? MachineLoad1m,
    double? RatioToMemory = null);

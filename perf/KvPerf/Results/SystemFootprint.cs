namespace KvPerf.Results;

/// <summary>
/// What one system's six nodes cost the machine: memory under load and CPU when idle.
/// </summary>
/// <param name="System">The system's name, one of <see cref="Bench.BenchSystems"/>'s, e.g. <c>kvstore local (memory)</c>.</param>
/// <param name="RssCase">The case whose end the memory was sampled at: the last one with the most clients (e.g. <c>W=5, 64 clients</c>).</param>
/// <param name="RssMb">The six nodes' resident memory summed, in MB, at the end of that case's window.</param>
/// <param name="IdleCpuPercentOfOneCore">CPU the six nodes used together while nothing wrote to them, in % of one core.</param>
/// <param name="IdleSeconds">How long the idle CPU was measured, in seconds.</param>
/// <param name="CpuSource">
/// <c>cgroup</c>: each container's cgroup counter, healthcheck processes included; <c>process</c>:
/// each node process's own utime + stime from /proc/PID/stat.
/// </param>
public sealed record SystemFootprint(
    string System,
    string? RssCase,
    double? RssMb,
    double? IdleCpuPercentOfOneCore,
    double IdleSeconds,
    string CpuSource);

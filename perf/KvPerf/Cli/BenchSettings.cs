using KvPerf.Results;

namespace KvPerf.Cli;

/// <summary>
/// The benchmark's settings as parsed from <c>bench</c>'s flags.
/// </summary>
/// <param name="WarmupSeconds">Writing before each measurement, in seconds (5).</param>
/// <param name="FirstWarmupSeconds">
/// Writing before the first measurement after a cluster starts, in seconds (20): a fresh node runs
/// unoptimized code until tiered compilation has caught up, and the figures are of warm nodes.
/// </param>
/// <param name="DurationSeconds">Each measurement window, in seconds (10).</param>
/// <param name="Targets">
/// Systems to measure, in order: <c>local</c>, <c>local-everysec</c>, <c>local-always</c>,
/// <c>compose</c>, <c>redis</c> (all five; <see cref="Bench.BenchSystems"/> names them).
/// </param>
/// <param name="Clients">Closed-loop clients per case (1, 10, 64).</param>
/// <param name="Quorums">Write quorums W (1, 5).</param>
/// <param name="Keys">Keys written round-robin (100).</param>
/// <param name="IdleSeconds">How long each system's idle CPU is measured, in seconds (20).</param>
/// <param name="OutDirectory">Where bench.json and bench.html go (results).</param>
/// <param name="KvHostPath">The KvHost binary for the local cluster, instead of building KvHost in Release.</param>
/// <param name="LocalBasePort">The local leader's port; follower N gets base + N (9100).</param>
/// <param name="RedisBasePort">The Redis master's port; replica N gets base + N (6390).</param>
/// <param name="ReportOnly">Print the tables and rebuild the chart from the existing bench.json without running anything.</param>
/// <param name="IdleAfterSeconds">
/// How long after its last case a system is left alone before its idle CPU is measured, in seconds
/// (30): for tens of seconds after a load a node's tiered JIT still recompiles what the load made
/// hot, which is the load's cost, not the cost of being idle.
/// </param>
public sealed record BenchSettings(
    int WarmupSeconds,
    int FirstWarmupSeconds,
    int DurationSeconds,
    IReadOnlyList<string> Targets,
    IReadOnlyList<int> Clients,
    IReadOnlyList<int> Quorums,
    int Keys,
    int IdleSeconds,
    string OutDirectory,
    string? KvHostPath,
    int LocalBasePort,
    int RedisBasePort,
    bool ReportOnly = false,
    int IdleAfterSeconds = 30)
{
    /// <summary>The targets in the order they run when all are asked for.</summary>
    public static readonly IReadOnlyList<string> KnownTargets = ["local", "local-everysec", "local-always", "compose", "redis"];

    /// <summary>The results file, <c>{out}/bench.json</c>.</summary>
    public string JsonPath => Path.Combine(OutDirectory, "bench.json");

    /// <summary>The chart, <c>{out}/bench.html</c>.</summary>
    public string HtmlPath => Path.Combine(OutDirectory, "bench.html");

    /// <summary>
    /// The time the cases themselves take (warm-up plus window for every target, W and client
    /// count, plus each target's wait before its idle measurement and the measurement), without
    /// builds and cluster starts.
    /// </summary>
    public TimeSpan MeasuringTime => TimeSpan.FromSeconds(
        Targets.Count * ((Quorums.Count * ((Clients.Count * (WarmupSeconds + DurationSeconds)) + FirstWarmupExtraSeconds)) + IdleAfterSeconds + IdleSeconds));

    /// <summary>The warm-up before a case, in seconds: longer for the first one on a freshly started cluster.</summary>
    /// <param name="firstAfterStart">Whether the case is the first after its cluster started.</param>
    public int WarmupSecondsOf(bool firstAfterStart) => firstAfterStart ? WarmupSeconds + FirstWarmupExtraSeconds : WarmupSeconds;

    private int FirstWarmupExtraSeconds => Math.Max(0, FirstWarmupSeconds - WarmupSeconds);

    /// <summary>The settings as written into the results file.</summary>
    public BenchConfig ToConfig(string valueExample) => new(
        WarmupSeconds, DurationSeconds, Targets, Quorums, Clients, Keys, valueExample,
        ExperimentSettings.Followers, Bench.KvStoreTarget.AckMode, MinDelayMs: 0, MaxDelayMs: 0, IdleSeconds,
        Math.Max(WarmupSeconds, FirstWarmupSeconds), IdleAfterSeconds);
}

namespace KvPerf.Cli;

/// <summary>
/// The restart measurement's settings as parsed from <c>restart</c>'s flags; each default is in
/// parentheses below.
/// </summary>
/// <param name="Keys">Data sizes to measure, in keys per node (0, 100,000 and 1,000,000).</param>
/// <param name="OutputPath">The results file (results/restart.json).</param>
/// <param name="WorkDirectory">
/// Where each size's six data directories and the nodes' logs go; <see langword="null"/> for a fresh
/// folder under the system's temporary directory. A million keys take about 1 GB here (six copies).
/// </param>
/// <param name="KeepData">Keep each size's data directories after it is measured (they are deleted).</param>
/// <param name="KvHostPath">The KvHost binary to start, instead of building KvHost in Release.</param>
/// <param name="BasePort">The leader's HTTP port; follower N gets base + N, and each node's actor system its HTTP port + 100 (9300).</param>
/// <param name="LogTail">Entries of the leader's log kept in its file, the newest (1,000).</param>
/// <param name="TimeoutSeconds">How long any one wait may last before its figure is recorded as not reached, in seconds (120).</param>
/// <param name="ReportOnly">Print the tables from the existing results file without running anything.</param>
public sealed record RestartSettings(
    IReadOnlyList<int> Keys,
    string OutputPath,
    string? WorkDirectory,
    bool KeepData,
    string? KvHostPath,
    int BasePort,
    int LogTail,
    int TimeoutSeconds,
    bool ReportOnly = false)
{
    /// <summary>
    /// The bound the restart must keep, in seconds from a node's start to its first 200 on
    /// <c>GET /health</c> with a million keys: what the table is read against.
    /// </summary>
    public const int HealthyGoalSeconds = 10;

    /// <summary>The largest data size accepted, in keys: ten million is already some 10 GB of six copies.</summary>
    public const int MaxKeys = 10_000_000;
}

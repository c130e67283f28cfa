using KvPerf.Results;

namespace KvPerf.Cli;

/// <summary>
/// The experiment's settings as parsed from the command line; each default is in parentheses below.
/// </summary>
/// <param name="Writes">Writes per run (100).</param>
/// <param name="Concurrency">Writes in flight at once (10).</param>
/// <param name="Keys">Keys written round-robin (10: k0..k9).</param>
/// <param name="WarmUpWrites">Writes per run before the measured ones, on the same keys and at the
/// same concurrency, left out of the figures (100): a fresh node runs unoptimized code at first
/// (tiered JIT), and the experiment measures replication, not the JIT.</param>
/// <param name="WarmUpSeconds">The least time a run's warm-up lasts, in seconds (10): it goes on past
/// <paramref name="WarmUpWrites"/> until then. At W = 1 a hundred writes take 2 s, too short for the
/// JIT, and left 7 to 9 ms per write beyond the injected delay that a longer warm-up removes.</param>
/// <param name="Quorums">Write quorums W to sweep (1..5).</param>
/// <param name="AckModes">ACK_MODE values to sweep (received, then applied).</param>
/// <param name="MinDelayMs">MIN_DELAY_MS in ms (0).</param>
/// <param name="MaxDelayMs">MAX_DELAY_MS in ms (1000).</param>
/// <param name="Cluster"><c>compose</c> or <c>local</c>.</param>
/// <param name="OutDirectory">Where the three results files go (results).</param>
/// <param name="KvHostPath">Local mode: a KvHost binary to run instead of building KvHost in Release.</param>
/// <param name="LocalBasePort">Local mode: the leader's port; follower N gets base + N (9100).</param>
/// <param name="ConvergenceBoundMs">How long to wait for the followers to equal the leader, in ms (30000).</param>
/// <param name="ReportOnly">Rebuild the HTML and PNG from the existing JSON without running anything.</param>
public sealed record ExperimentSettings(
    int Writes,
    int Concurrency,
    int Keys,
    int WarmUpWrites,
    int WarmUpSeconds,
    IReadOnlyList<int> Quorums,
    IReadOnlyList<string> AckModes,
    int MinDelayMs,
    int MaxDelayMs,
    string Cluster,
    string OutDirectory,
    string? KvHostPath,
    int LocalBasePort,
    int ConvergenceBoundMs,
    bool ReportOnly)
{
    /// <summary>
    /// Followers in the cluster: the compose layout has five (API.md), and the local cluster
    /// starts as many, so that both measure the same N.
    /// </summary>
    public const int Followers = 5;

    /// <summary>The results file, <c>{out}/quorum-latency.json</c>.</summary>
    public string JsonPath => Path.Combine(OutDirectory, "quorum-latency.json");

    /// <summary>The report, <c>{out}/quorum-latency.html</c>.</summary>
    public string HtmlPath => Path.Combine(OutDirectory, "quorum-latency.html");

    /// <summary>The report's picture, <c>{out}/quorum-latency.png</c>.</summary>
    public string PngPath => Path.Combine(OutDirectory, "quorum-latency.png");

    /// <summary>The settings as written into the results file.</summary>
    public ExperimentConfig ToConfig(DateTimeOffset startedAtUtc) => new(
        Writes, Concurrency, Keys, Followers, Quorums, AckModes, MinDelayMs, MaxDelayMs, Cluster,
        ConvergenceBoundMs, startedAtUtc, Environment.ProcessorCount, WarmUpWrites, WarmUpSeconds);
}

namespace KvPerf.Results;

/// <summary>
/// The settings a results file was measured with, written beside the numbers so that a reader can
/// recompute the expected curve and judge the measurement.
/// </summary>
/// <param name="Writes">Writes per run.</param>
/// <param name="Concurrency">Writes in flight at once (closed loop).</param>
/// <param name="Keys">Keys written round-robin, <c>k0</c>..<c>k{Keys-1}</c>.</param>
/// <param name="Followers">Followers in the cluster (N in the expected-mean formula).</param>
/// <param name="Quorums">The write quorums W swept, in order.</param>
/// <param name="AckModes">The ACK_MODE values swept, in order.</param>
/// <param name="MinDelayMs">MIN_DELAY_MS, the smallest simulated replication delay in ms.</param>
/// <param name="MaxDelayMs">MAX_DELAY_MS, the largest simulated replication delay in ms.</param>
/// <param name="Cluster"><c>compose</c> (six containers) or <c>local</c> (six processes).</param>
/// <param name="ConvergenceBoundMs">How long the experiment waits for followers to equal the leader, in ms.</param>
/// <param name="StartedAtUtc">When the experiment started.</param>
/// <param name="ProcessorCount">Cores on the machine that ran client and cluster together.</param>
/// <param name="WarmUpWrites">Writes each run sent before its measured ones and left out of every
/// figure (0 in files written before there was a warm-up).</param>
/// <param name="WarmUpSeconds">The least time each run's warm-up lasted, in seconds (0 in files written
/// before it had a time floor).</param>
public sealed record ExperimentConfig(
    int Writes,
    int Concurrency,
    int Keys,
    int Followers,
    IReadOnlyList<int> Quorums,
    IReadOnlyList<string> AckModes,
    int MinDelayMs,
    int MaxDelayMs,
    string Cluster,
    int ConvergenceBoundMs,
    DateTimeOffset StartedAtUtc,
    int ProcessorCount,
    int WarmUpWrites = 0,
    int WarmUpSeconds = 0);

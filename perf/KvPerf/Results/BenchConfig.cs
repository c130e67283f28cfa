namespace KvPerf.Results;

/// <summary>
/// The settings a benchmark ran with, written beside its figures.
/// </summary>
/// <param name="WarmupSeconds">Writing before each measurement, in seconds.</param>
/// <param name="DurationSeconds">Each measurement window, in seconds.</param>
/// <param name="Targets">The systems measured, in order.</param>
/// <param name="Quorums">The write quorums W, in order.</param>
/// <param name="Clients">The numbers of closed-loop clients, in order.</param>
/// <param name="Keys">Keys written round-robin, <c>k0</c>..<c>k{Keys-1}</c>.</param>
/// <param name="ValueExample">The JSON value of write 0, as both systems store it.</param>
/// <param name="Replicas">Followers (kvstore) or replicas (Redis) beside the node taking writes.</param>
/// <param name="AckMode">kvstore's ACK_MODE.</param>
/// <param name="MinDelayMs">kvstore's MIN_DELAY_MS: injected replication delay, 0.</param>
/// <param name="MaxDelayMs">kvstore's MAX_DELAY_MS: injected replication delay, 0.</param>
/// <param name="IdleSeconds">How long each system's idle CPU was measured, in seconds.</param>
/// <param name="FirstWarmupSeconds">
/// Writing before the first measurement on a freshly started cluster, in seconds (0 in results
/// written before it was recorded, which warmed every case for <paramref name="WarmupSeconds"/>).
/// </param>
/// <param name="IdleAfterSeconds">
/// How long each system was left alone after its last case before its idle CPU was measured, in
/// seconds (0 in results written before it was recorded, which waited 2 s).
/// </param>
public sealed record BenchConfig(
    int WarmupSeconds,
    int DurationSeconds,
    IReadOnlyList<string> Targets,
    IReadOnlyList<int> Quorums,
    IReadOnlyList<int> Clients,
    int Keys,
    string ValueExample,
    int Replicas,
    string AckMode,
    int MinDelayMs,
    int MaxDelayMs,
    int IdleSeconds,
    int FirstWarmupSeconds = 0,
    int IdleAfterSeconds = 0);

namespace KvPerf.Results;

/// <summary>What every case of the restart measurement ran with.</summary>
/// <param name="Keys">The data sizes, in keys per node.</param>
/// <param name="ValueExample">The value of key 0, as every key's is shaped (about 120 bytes of JSON).</param>
/// <param name="Epoch">The epoch the data was written in.</param>
/// <param name="LogTail">Entries of the leader's log kept in the data file, the newest.</param>
/// <param name="BatchKeys">Keys per transaction when the data was written.</param>
/// <param name="Followers">Followers started beside the leader.</param>
/// <param name="WriteQuorum">W: the first write waits for this many followers' acknowledgements.</param>
/// <param name="Fsync">FSYNC of every node.</param>
/// <param name="AckMode">ACK_MODE of every node.</param>
/// <param name="PollIntervalMs">How often each node was asked, in ms: the resolution of every figure.</param>
/// <param name="TimeoutSeconds">How long a wait lasted before its figure was recorded as not reached (null), in seconds.</param>
/// <param name="HealthyGoalSeconds">The bound a node holding a million keys should be healthy within, in seconds from its start.</param>
public sealed record RestartConfig(
    IReadOnlyList<int> Keys,
    string ValueExample,
    long Epoch,
    int LogTail,
    int BatchKeys,
    int Followers,
    int WriteQuorum,
    string Fsync,
    string AckMode,
    int PollIntervalMs,
    int TimeoutSeconds,
    int HealthyGoalSeconds);

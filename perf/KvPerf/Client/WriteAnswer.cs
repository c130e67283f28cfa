namespace KvPerf.Client;

/// <summary>
/// The leader's 200 answer to <c>PUT /kv/{key}</c> (shared/API.md): the write is applied on the
/// leader and <see cref="Acks"/> followers acknowledged it, at least <see cref="WriteQuorum"/>.
/// </summary>
/// <param name="Key">The key written.</param>
/// <param name="Seq">The write's position in the leader's replication log (1, 2, 3, ...).</param>
/// <param name="Acks">Follower acknowledgements counted when the leader answered.</param>
/// <param name="WriteQuorum">The quorum the leader runs with; the experiment checks it is the W it asked for.</param>
public sealed record WriteAnswer(string Key, long Seq, int Acks, int WriteQuorum);

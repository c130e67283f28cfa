using System.Text.Json;

namespace KvActors.Store;

/// <summary>
/// One entry of the leader's replication log: the unit that is numbered, applied and replicated.
/// Followers apply entries strictly in <see cref="Seq"/> order, which is what makes every replica
/// converge to the leader's state however the network reorders deliveries (DDIA ch. 5).
/// </summary>
/// <param name="Epoch">The leader's epoch (one per leader start) that wrote the entry.</param>
/// <param name="Seq">Sequence number in the log: 1, 2, 3, ... with no gaps within an epoch.</param>
/// <param name="Op">Put or delete.</param>
/// <param name="Key">The key, 1 to 256 bytes of UTF-8 (see <see cref="KeyRules"/>).</param>
/// <param name="Value">The JSON value for a put; null for a delete.</param>
public sealed record LogEntry(long Epoch, long Seq, WriteOp Op, string Key, JsonElement? Value);

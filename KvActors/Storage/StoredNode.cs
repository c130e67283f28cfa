using KvActors.Store;

namespace KvActors.Storage;

/// <summary>What <see cref="NodeStorage.Load"/> found on disk: the state a node starts from.</summary>
/// <param name="State">
/// The stored epoch, applied <c>seq</c> and items; epoch 0, <c>seq</c> 0 and no items for a new file.
/// </param>
/// <param name="Log">
/// The stored log entries, oldest first. Those at or below <c>State.AppliedSeq</c> are the leader's
/// retained entries (already in the items); those above it are entries a follower held back behind
/// a gap, to apply once the gap fills.
/// </param>
public sealed record StoredNode(StoreSnapshot State, IReadOnlyList<LogEntry> Log);

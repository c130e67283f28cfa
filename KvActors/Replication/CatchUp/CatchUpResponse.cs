using KvActors.Replication.Wire;

namespace KvActors.Replication.CatchUp;

/// <summary>
/// The leader's 200 answer to <c>GET /replication/entries?epoch=E&amp;after=S&amp;limit=N</c>, a follower's
/// catch-up request: either the next entries after <c>S</c>, or word that entries cannot do (the
/// follower is of another epoch, or the backlog no longer reaches back to <c>S</c>) and it must fetch
/// <c>GET /replication/snapshot</c> first (Redis PSYNC's <c>+CONTINUE</c> versus <c>+FULLRESYNC</c>).
/// </summary>
/// <param name="Epoch">The leader's epoch.</param>
/// <param name="LeaderSeq">The leader's last <c>seq</c>: the follower asks again until it reaches it.</param>
/// <param name="FullResync">True when the follower needs a snapshot; <paramref name="Entries"/> is then empty.</param>
/// <param name="Entries">Up to <c>limit</c> entries after <c>S</c>, oldest first, in the shape they have when pushed over Akka.Remote.</param>
/// <param name="Continues">
/// Set when the follower's epoch <c>E</c> is the one the leader's epoch continues (a leader restarted
/// from its own disk): <c>{"previousEpoch": E, "lastSeq": L}</c>. A follower that has applied up to
/// <c>L</c> moves into the leader's epoch without a snapshot. Absent otherwise.
/// </param>
public sealed record CatchUpResponse(long Epoch, long LeaderSeq, bool FullResync, IReadOnlyList<EntryDocument> Entries, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] Store.StoreMessages.ContinuedEpoch? Continues = null);

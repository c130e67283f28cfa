namespace KvActors.Replication.Leader;

/// <summary>How long, and how many, idempotency keys the leader remembers (<see cref="IdempotencyTable{TWaiter}"/>).</summary>
/// <param name="Window">
/// How long after its write was answered a key is remembered: a retry later than this is a new
/// write. 24 hours by default, Stripe's window, long past any client's retry loop.
/// </param>
/// <param name="MaxKeys">
/// The most answered keys remembered at once, at least 1; past it the oldest is forgotten first, even
/// inside the window, so that memory stays bounded (an entry is at most about 1 KB: a 255-character
/// key, a 64-character fingerprint, the data key and the followers that acknowledged). Writes still
/// in flight are not counted: <c>MAX_WRITES_IN_FLIGHT</c> bounds them.
/// </param>
public sealed record IdempotencySettings(TimeSpan Window, int MaxKeys)
{
    /// <summary>24 hours, 100,000 keys: at most about 100 MB, typically a tenth of that.</summary>
    public static IdempotencySettings Default { get; } = new(TimeSpan.FromHours(24), 100_000);
}

namespace KvActors.Replication.Leader;

/// <summary>
/// The leader's memory of idempotency keys (the IETF httpapi draft "The Idempotency-Key HTTP Header
/// Field"): for each key, what the request asked for, the <c>seq</c> its write was given, the
/// followers known to hold that <c>seq</c>, and the retries waiting while it is still in flight. A
/// plain class, owned by the <see cref="WriteCoordinator"/> and touched only from its mailbox, so it
/// takes no locks; <typeparamref name="TWaiter"/> is whom a waiting retry is answered through (an
/// actor reference there, anything in specs).
/// </summary>
/// <remarks>
/// <para>A key enters when its first request reaches the coordinator; it stays while the write is
/// in flight (whatever the count) and, once answered, for <see cref="IdempotencySettings.Window"/>
/// or until <see cref="IdempotencySettings.MaxKeys"/> newer answered keys push it out, oldest
/// first. Only writes that were given a <c>seq</c> are remembered: one refused before (a delete of a
/// missing key, a failure to apply) changed nothing, so running its retry again is as good as a
/// replay and cannot apply anything twice.</para>
/// <para>In memory only, like the data: a restarted leader remembers no key, and a retry that
/// reaches it is a new write.</para>
/// </remarks>
/// <param name="settings">The window and the cap.</param>
internal sealed class IdempotencyTable<TWaiter>(IdempotencySettings settings)
{
    private readonly Dictionary<string, Entry> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Entry> _bySeq = [];

    // Answered entries in the order they were answered, which is also the order of their times:
    // the oldest is always at the head, so forgetting looks at the head only.
    private readonly Queue<Entry> _answered = new();

    /// <summary>What <see cref="Begin"/> decided for a request.</summary>
    public enum Admission
    {
        /// <summary>The key is new: apply the write, then tell the table its <c>seq</c> and its answer.</summary>
        New,

        /// <summary>The same request is still in flight: the retry waits, and <see cref="Answered"/> or <see cref="Abandon"/> returns it.</summary>
        Joined,

        /// <summary>The same request was answered: answer the retry with its write's current state.</summary>
        Replay,

        /// <summary>The key was used for another request (method, key or value): refuse it, nothing changes.</summary>
        Mismatch,
    }

    /// <summary>Keys remembered, in flight and answered.</summary>
    public int Count => _byKey.Count;

    /// <summary>Looks up a request's key and, if new, takes it.</summary>
    /// <param name="request">The key and the request's fingerprint.</param>
    /// <param name="dataKey">The key the write names in the store, which a replay's answer carries.</param>
    /// <param name="retry">Who waits for the outcome when the original is still in flight.</param>
    /// <param name="now">The time, to forget keys past the window first.</param>
    /// <param name="entry">The key's entry when it was known (for <see cref="Admission.Replay"/>, what to answer), else null.</param>
    /// <returns>What to do with the request.</returns>
    public Admission Begin(IdempotentRequest request, string dataKey, TWaiter retry, DateTimeOffset now, out Entry? entry)
    {
        Forget(now);
        if (!_byKey.TryGetValue(request.IdempotencyKey, out entry))
        {
            _byKey[request.IdempotencyKey] = new Entry(request.IdempotencyKey, request.Fingerprint, dataKey);
            return Admission.New;
        }

        if (!string.Equals(entry.Fingerprint, request.Fingerprint, StringComparison.Ordinal))
        {
            return Admission.Mismatch;
        }

        if (entry.AnsweredAt is null)
        {
            entry.Waiters.Add(retry);
            return Admission.Joined;
        }

        return Admission.Replay;
    }

    /// <summary>The key's write was applied as <paramref name="seq"/>.</summary>
    /// <param name="idempotencyKey">A key that <see cref="Begin"/> admitted as new.</param>
    /// <param name="seq">The write's <c>seq</c>.</param>
    public void Assigned(string idempotencyKey, long seq)
    {
        if (_byKey.TryGetValue(idempotencyKey, out var entry))
        {
            entry.Seq = seq;
            _bySeq[seq] = entry;
        }
    }

    /// <summary>The key's write was refused before it got a <c>seq</c>: forget the key, which is free for a new attempt.</summary>
    /// <param name="idempotencyKey">A key that <see cref="Begin"/> admitted as new.</param>
    /// <returns>The retries that waited for it, to be given the same refusal.</returns>
    public IReadOnlyList<TWaiter> Abandon(string idempotencyKey) =>
        _byKey.Remove(idempotencyKey, out var entry) ? entry.Waiters : [];

    /// <summary>A follower acknowledged <paramref name="seq"/>; does nothing unless an idempotency key names that <c>seq</c>.</summary>
    /// <param name="seq">The acknowledged <c>seq</c>.</param>
    /// <param name="follower">The follower's name; each counts once.</param>
    public void Acknowledged(long seq, string follower)
    {
        if (_bySeq.TryGetValue(seq, out var entry))
        {
            entry.Acknowledged.Add(follower);
        }
    }

    /// <summary>
    /// The write <paramref name="seq"/> was answered (or its tracker stopped): from now on a retry is
    /// replayed, and the window starts. Later calls for the same <c>seq</c> do nothing.
    /// </summary>
    /// <param name="seq">The write's <c>seq</c>.</param>
    /// <param name="now">When.</param>
    /// <returns>The entry and the retries that waited for the answer, or null when no key names <paramref name="seq"/> or it was already answered.</returns>
    public (Entry Entry, IReadOnlyList<TWaiter> Waiters)? Answered(long seq, DateTimeOffset now)
    {
        if (!_bySeq.TryGetValue(seq, out var entry) || entry.AnsweredAt is not null)
        {
            return null;
        }

        entry.AnsweredAt = now;
        var waiters = entry.Waiters.ToList();
        entry.Waiters.Clear();
        _answered.Enqueue(entry);
        Forget(now);
        return (entry, waiters);
    }

    private void Forget(DateTimeOffset now)
    {
        while (_answered.TryPeek(out var oldest) && (_answered.Count > settings.MaxKeys || now - oldest.AnsweredAt >= settings.Window))
        {
            _answered.Dequeue();
            _byKey.Remove(oldest.IdempotencyKey);
            _bySeq.Remove(oldest.Seq);
        }
    }

    /// <summary>One remembered key. Mutable, owned by the table's owner.</summary>
    /// <param name="idempotencyKey">The header's value.</param>
    /// <param name="fingerprint">The first request's fingerprint.</param>
    /// <param name="dataKey">The key the write names in the store.</param>
    public sealed class Entry(string idempotencyKey, string fingerprint, string dataKey)
    {
        /// <summary>The header's value.</summary>
        public string IdempotencyKey { get; } = idempotencyKey;

        /// <summary>The first request's fingerprint; a retry must have the same.</summary>
        public string Fingerprint { get; } = fingerprint;

        /// <summary>The key the write names in the store.</summary>
        public string DataKey { get; } = dataKey;

        /// <summary>The write's <c>seq</c>; 0 until the store has applied it.</summary>
        public long Seq { get; internal set; }

        /// <summary>Followers that acknowledged <see cref="Seq"/>, each once, whenever they did (before or after the answer).</summary>
        public HashSet<string> Acknowledged { get; } = new(StringComparer.Ordinal);

        /// <summary>When the write was answered; null while it is in flight.</summary>
        public DateTimeOffset? AnsweredAt { get; internal set; }

        /// <summary>Retries waiting for the answer.</summary>
        internal List<TWaiter> Waiters { get; } = [];
    }
}

using KvActors.Store;

namespace KvActors.Replication.Leader;

/// <summary>
/// The leader's replication log: the most recent entries, kept so that a follower that missed some
/// can be sent them again (the Redis replication backlog). Bounded by entry count; older entries are
/// dropped, after which only a snapshot can bring a follower that far behind up to date.
/// </summary>
/// <remarks>Owned by the leader's store actor: not thread-safe.</remarks>
public sealed class ReplicationLog
{
    private readonly LogEntry[] _ring;
    private long _lastSeq;
    private long _baseSeq;

    /// <summary>Creates an empty log.</summary>
    /// <param name="capacity">How many recent entries to keep, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public ReplicationLog(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new LogEntry[capacity];
    }

    /// <summary>The <c>seq</c> of the last appended entry, 0 when empty.</summary>
    public long LastSeq => _lastSeq;

    /// <summary>The oldest <c>seq</c> still held, or 1 past <see cref="LastSeq"/> when empty.</summary>
    public long FirstSeq => Math.Max(_baseSeq + 1, _lastSeq - _ring.Length + 1);

    /// <summary>Empties the log so that it continues after <paramref name="lastSeq"/> (a leader that recovered state up to it).</summary>
    /// <param name="lastSeq">The <c>seq</c> the next appended entry follows, 0 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastSeq"/> is negative.</exception>
    public void Reset(long lastSeq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastSeq);
        Array.Clear(_ring);
        _baseSeq = _lastSeq = lastSeq;
    }

    /// <summary>Appends the next entry.</summary>
    /// <param name="entry">An entry whose <c>seq</c> is <see cref="LastSeq"/> + 1.</param>
    /// <exception cref="ArgumentException">The entry's <c>seq</c> would leave a gap or repeat one.</exception>
    public void Append(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Seq != _lastSeq + 1)
        {
            throw new ArgumentException($"entry seq {entry.Seq} does not follow last seq {_lastSeq}", nameof(entry));
        }

        _ring[(entry.Seq - 1) % _ring.Length] = entry;
        _lastSeq = entry.Seq;
    }

    /// <summary>The entries after <paramref name="seq"/>, oldest first, if the log still reaches back that far.</summary>
    /// <param name="seq">The last <c>seq</c> the asker has.</param>
    /// <param name="limit">At most this many entries (at least 1); the asker asks again for the rest.</param>
    /// <param name="entries">The entries after <paramref name="seq"/> (empty when up to date).</param>
    /// <returns>
    /// False when entries the asker needs were already dropped (it needs a snapshot), or when it
    /// claims a <c>seq</c> past the end of the log.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is below 1.</exception>
    public bool TryGetEntriesAfter(long seq, int limit, out IReadOnlyList<LogEntry> entries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (seq > _lastSeq || seq + 1 < FirstSeq)
        {
            entries = [];
            return false;
        }

        var last = Math.Min(_lastSeq, seq + limit);
        var result = new List<LogEntry>((int)(last - seq));
        for (var s = seq + 1; s <= last; s++)
        {
            result.Add(_ring[(s - 1) % _ring.Length]);
        }

        entries = result;
        return true;
    }
}

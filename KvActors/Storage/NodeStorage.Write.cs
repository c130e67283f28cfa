using KvActors.Store;
using Microsoft.Data.Sqlite;

namespace KvActors.Storage;

/// <content>Writing: one transaction per batch, and the trimming of the stored log.</content>
public sealed partial class NodeStorage
{
    /// <summary>
    /// How many log entries past the retention (entries) may pile up before they are deleted: one
    /// range delete per step rather than one row per batch keeps trimming off the write path.
    /// </summary>
    public const long TrimStep = 1_000;

    /// <summary>
    /// Commits <paramref name="batch"/> as one transaction: replace (if any), log, apply, meta, and
    /// a trim of the stored log when due. Returns once committed, which under
    /// <see cref="FsyncPolicy.Always"/> means on disk; a failed batch leaves nothing of itself.
    /// </summary>
    /// <param name="batch">
    /// The batch. An empty one whose epoch and applied <c>seq</c> are already stored writes nothing.
    /// Log entries at or below <c>AppliedSeq − retainedEntries</c> are not written: they would be
    /// trimmed at once.
    /// </param>
    /// <exception cref="ArgumentException">A put in <see cref="StorageBatch.Logged"/> or <see cref="StorageBatch.Applied"/> has no value.</exception>
    /// <exception cref="StorageCorruptException">SQLite found the file damaged; the node must stop.</exception>
    /// <exception cref="StorageException">The write failed otherwise (disk full, I/O error); nothing of the batch is stored.</exception>
    /// <exception cref="ObjectDisposedException">The storage is closed.</exception>
    public void Write(StorageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireValues(batch.Logged, nameof(batch));
        RequireValues(batch.Applied, nameof(batch));
        if (batch.IsEmpty && batch.Epoch == _storedEpoch && batch.AppliedSeq == _storedAppliedSeq)
        {
            return;
        }

        // What Open read is no longer what the file holds: a later Load reads the file.
        _opened = null;
        try
        {
            _oldestLogged = Commit(batch);
        }
        catch (SqliteException ex)
        {
            var translated = Translate(DatabasePath, ex, "could not be written");
            _damaged |= translated is StorageCorruptException;
            throw translated;
        }

        _storedEpoch = batch.Epoch;
        _storedAppliedSeq = batch.AppliedSeq;
        _flusher?.MarkWritten();
    }

    // Returns the new lower bound of the stored log's seqs; the caller keeps it only once committed.
    private long Commit(StorageBatch batch)
    {
        var keepAbove = batch.AppliedSeq - _retainedEntries;
        var oldest = _oldestLogged;
        using var transaction = _connection.BeginTransaction(deferred: false);
        _commands.Enlist(transaction);
        if (batch.Replace is { } replace)
        {
            _commands.Clear();
            oldest = long.MaxValue;
            foreach (var (key, stored) in replace.Items)
            {
                _commands.PutItem(key, stored.Value.GetRawText(), stored.Seq);
            }
        }
        else if (batch.ClearLog)
        {
            oldest = _commands.TrimLog(long.MaxValue);
        }

        foreach (var entry in batch.Logged)
        {
            if (entry.Seq > keepAbove)
            {
                _commands.InsertLog(entry);
                oldest = Math.Min(oldest, entry.Seq);
            }
        }

        foreach (var entry in batch.Applied)
        {
            if (entry.Op == WriteOp.Put)
            {
                _commands.PutItem(entry.Key, entry.Value!.Value.GetRawText(), entry.Seq);
            }
            else
            {
                _commands.DeleteItem(entry.Key);
            }
        }

        _commands.SetMeta(batch.Epoch, batch.AppliedSeq);

        // A follower (0 retained) drops held-back entries as soon as they are applied, so its log
        // only ever holds unapplied ones; a leader lets TrimStep entries pile up past its backlog.
        if (oldest <= keepAbove && (_retainedEntries == 0 || keepAbove - oldest + 1 >= TrimStep))
        {
            oldest = _commands.TrimLog(keepAbove);
        }

        transaction.Commit();
        return oldest;
    }

    private static void RequireValues(List<LogEntry> entries, string paramName)
    {
        foreach (var entry in entries)
        {
            if (entry.Op == WriteOp.Put && entry.Value is null)
            {
                throw new ArgumentException($"the put at seq {entry.Seq} has no value", paramName);
            }
        }
    }
}

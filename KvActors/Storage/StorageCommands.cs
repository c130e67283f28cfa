using KvActors.Store;
using Microsoft.Data.Sqlite;

namespace KvActors.Storage;

/// <summary>
/// The prepared statements of <see cref="NodeStorage.Write"/>, compiled once when storage opens:
/// a batch only binds parameters and steps them, which is what keeps a group commit of many
/// entries cheap.
/// </summary>
/// <remarks>Used by the writer only, one batch at a time; not thread-safe.</remarks>
internal sealed class StorageCommands : IDisposable
{
    private readonly SqliteCommand _putItem;
    private readonly SqliteCommand _deleteItem;
    private readonly SqliteCommand _insertLog;
    private readonly SqliteCommand _setMeta;
    private readonly SqliteCommand _clear;
    private readonly SqliteCommand _trimLog;
    private readonly SqliteCommand _oldestLogged;
    private readonly SqliteCommand[] _all;

    /// <summary>Prepares the statements on <paramref name="connection"/>, whose schema must exist.</summary>
    /// <param name="connection">The open writer connection.</param>
    /// <exception cref="SqliteException">A statement did not compile (the schema is not this store's).</exception>
    public StorageCommands(SqliteConnection connection)
    {
        _putItem = Create(connection,
            "INSERT INTO items(key, value, seq) VALUES ($key, $value, $seq) ON CONFLICT(key) DO UPDATE SET value = excluded.value, seq = excluded.seq",
            ("$key", SqliteType.Text), ("$value", SqliteType.Text), ("$seq", SqliteType.Integer));
        _deleteItem = Create(connection, "DELETE FROM items WHERE key = $key", ("$key", SqliteType.Text));
        _insertLog = Create(connection,
            "INSERT OR IGNORE INTO log(seq, epoch, op, key, value) VALUES ($seq, $epoch, $op, $key, $value)",
            ("$seq", SqliteType.Integer), ("$epoch", SqliteType.Integer), ("$op", SqliteType.Integer), ("$key", SqliteType.Text), ("$value", SqliteType.Text));
        _setMeta = Create(connection,
            "INSERT INTO meta(name, value) VALUES ('epoch', $epoch), ('applied_seq', $appliedSeq) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            ("$epoch", SqliteType.Integer), ("$appliedSeq", SqliteType.Integer));
        _clear = Create(connection, "DELETE FROM items; DELETE FROM log");
        _trimLog = Create(connection, "DELETE FROM log WHERE seq <= $upTo", ("$upTo", SqliteType.Integer));
        _oldestLogged = Create(connection, "SELECT min(seq) FROM log");
        _all = [_putItem, _deleteItem, _insertLog, _setMeta, _clear, _trimLog, _oldestLogged];
    }

    /// <summary>Runs every statement in <paramref name="transaction"/> from now on (Microsoft.Data.Sqlite requires it per command).</summary>
    /// <param name="transaction">The batch's transaction.</param>
    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>Deletes every item and every log entry.</summary>
    public void Clear() => _clear.ExecuteNonQuery();

    /// <summary>Sets a key's value and the <c>seq</c> that set it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="rawJson">The value's JSON text, as received.</param>
    /// <param name="seq">The <c>seq</c> of the write.</param>
    public void PutItem(string key, string rawJson, long seq)
    {
        _putItem.Parameters[0].Value = key;
        _putItem.Parameters[1].Value = rawJson;
        _putItem.Parameters[2].Value = seq;
        _putItem.ExecuteNonQuery();
    }

    /// <summary>Removes a key; nothing happens if it is not stored.</summary>
    /// <param name="key">The key.</param>
    public void DeleteItem(string key)
    {
        _deleteItem.Parameters[0].Value = key;
        _deleteItem.ExecuteNonQuery();
    }

    /// <summary>Adds an entry to the log unless its <c>seq</c> is already there.</summary>
    /// <param name="entry">The entry; a put carries a value.</param>
    public void InsertLog(LogEntry entry)
    {
        _insertLog.Parameters[0].Value = entry.Seq;
        _insertLog.Parameters[1].Value = entry.Epoch;
        _insertLog.Parameters[2].Value = (long)entry.Op;
        _insertLog.Parameters[3].Value = entry.Key;
        _insertLog.Parameters[4].Value = entry.Value is { } value ? value.GetRawText() : DBNull.Value;
        _insertLog.ExecuteNonQuery();
    }

    /// <summary>Records the state's epoch and applied <c>seq</c>.</summary>
    /// <param name="epoch">The epoch.</param>
    /// <param name="appliedSeq">The applied <c>seq</c>.</param>
    public void SetMeta(long epoch, long appliedSeq)
    {
        _setMeta.Parameters[0].Value = epoch;
        _setMeta.Parameters[1].Value = appliedSeq;
        _setMeta.ExecuteNonQuery();
    }

    /// <summary>Deletes the log entries at or below <paramref name="upTo"/>.</summary>
    /// <param name="upTo">The highest <c>seq</c> to delete.</param>
    /// <returns>The lowest <c>seq</c> still stored, or <see cref="long.MaxValue"/> when the log is empty.</returns>
    public long TrimLog(long upTo)
    {
        _trimLog.Parameters[0].Value = upTo;
        _trimLog.ExecuteNonQuery();
        return _oldestLogged.ExecuteScalar() is long oldest ? oldest : long.MaxValue;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }
}

using System.Collections.Immutable;
using System.Text.Json;
using KvActors.Store;
using Microsoft.Data.Sqlite;

namespace KvActors.Storage;

/// <content>Reading the stored state back: meta, items and log, each table read whole.</content>
public sealed partial class NodeStorage
{
    /// <summary>
    /// The stored state and log as the file holds them now. The first call after <see cref="Open"/>,
    /// with nothing written since, returns what Open read instead of reading the file again.
    /// </summary>
    /// <returns>Epoch 0, <c>seq</c> 0, no items and no log for a new file.</returns>
    /// <exception cref="StorageCorruptException">A stored row is damaged (a value that is not JSON, an unknown op).</exception>
    /// <exception cref="StorageException">The file could not be read.</exception>
    /// <exception cref="ObjectDisposedException">The storage is closed.</exception>
    public StoredNode Load()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_opened is { } opened)
        {
            // Handed over once, so storage does not keep a million items alive beside the store's own copy.
            _opened = null;
            return opened;
        }

        try
        {
            return Read(_connection, DatabasePath);
        }
        catch (SqliteException ex)
        {
            throw Translate(DatabasePath, ex, "could not be read");
        }
    }

    private static StoredNode Read(SqliteConnection connection, string path)
    {
        // One read transaction: the three tables as of one commit.
        using var transaction = connection.BeginTransaction(deferred: true);
        var (epoch, appliedSeq) = ReadMeta(connection, transaction, path);
        var items = ReadItems(connection, transaction, path);
        var log = ReadLog(connection, transaction, path);
        transaction.Commit();
        return new StoredNode(new StoreSnapshot(epoch, appliedSeq, items), log);
    }

    private static (long Epoch, long AppliedSeq) ReadMeta(SqliteConnection connection, SqliteTransaction transaction, string path)
    {
        long? epoch = null, appliedSeq = null;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, value FROM meta WHERE name IN ('epoch', 'applied_seq')";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (reader.GetString(0) == "epoch")
            {
                epoch = reader.GetInt64(1);
            }
            else
            {
                appliedSeq = reader.GetInt64(1);
            }
        }

        return epoch is { } e && appliedSeq is { } s && e >= 0 && s >= 0
            ? (e, s)
            : throw new StorageCorruptException(path, $"meta holds epoch {epoch?.ToString() ?? "(none)"} and applied seq {appliedSeq?.ToString() ?? "(none)"}", null);
    }

    private static ImmutableSortedDictionary<string, StoredValue> ReadItems(SqliteConnection connection, SqliteTransaction transaction, string path)
    {
        // Rows come in SQLite's byte order, which is nearly the ordinal order the builder keeps;
        // for a million keys this takes a few hundred milliseconds, less than CreateRange's sort.
        var items = ImmutableSortedDictionary.CreateBuilder<string, StoredValue>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT key, value, seq FROM items";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var seq = reader.GetInt64(2);
            var count = items.Count;
            items[reader.GetString(0)] = new StoredValue(ParseValue(reader.GetString(1), seq, path), seq);
            if (items.Count == count)
            {
                // Unique as bytes but equal as text: invalid UTF-8 in the file.
                throw new StorageCorruptException(path, $"the key stored at seq {seq} reads as the same text as another", null);
            }
        }

        return items.ToImmutable();
    }

    private static List<LogEntry> ReadLog(SqliteConnection connection, SqliteTransaction transaction, string path)
    {
        var log = new List<LogEntry>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, epoch, op, key, value FROM log ORDER BY seq";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var seq = reader.GetInt64(0);
            var op = reader.GetInt64(2) switch
            {
                (long)WriteOp.Put when !reader.IsDBNull(4) => WriteOp.Put,
                (long)WriteOp.Delete => WriteOp.Delete,
                var other => throw new StorageCorruptException(path, $"log entry at seq {seq} has op {other} {(reader.IsDBNull(4) ? "without" : "with")} a value", null),
            };
            var value = op == WriteOp.Put ? ParseValue(reader.GetString(4), seq, path) : (JsonElement?)null;
            log.Add(new LogEntry(reader.GetInt64(1), seq, op, reader.GetString(3), value));
        }

        return log;
    }

    private static JsonElement ParseValue(string json, long seq, string path)
    {
        try
        {
            return JsonElement.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new StorageCorruptException(path, $"the value stored at seq {seq} is not JSON: {ex.Message}", ex);
        }
    }
}

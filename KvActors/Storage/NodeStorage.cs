using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace KvActors.Storage;

/// <summary>
/// A node's durable state: its items, its epoch and applied <c>seq</c>, and its stored log, in one
/// SQLite file (<c>kvstore.db</c>, WAL mode) in the node's data directory. The store loads it once
/// at start and hands it a <see cref="StorageBatch"/> per group commit.
/// </summary>
/// <remarks>
/// <para>Damage: a write torn by a crash is cut off by SQLite's WAL recovery (frame checksums and
/// salts); <see cref="Open"/> logs what it cuts, and the node catches up the rest from the leader.
/// Damage anywhere else (SQLite finds the file corrupt or not a database, its quick check fails, a
/// stored value does not parse) throws <see cref="StorageCorruptException"/>, one line for the node
/// to stop with; storage never deletes or rewrites such a file (no checkpoint on close).</para>
/// <para>Threading: <see cref="Write"/> and <see cref="Load"/> are called by one owner at a time,
/// which may be a different thread-pool thread each time; only the
/// <see cref="FsyncPolicy.EverySec"/> timer runs beside them, on a file handle of its own.</para>
/// </remarks>
public sealed partial class NodeStorage : IDisposable
{
    /// <summary>The database file's name in the data directory.</summary>
    public const string FileName = "kvstore.db";

    private readonly SqliteConnection _connection;
    private readonly long _retainedEntries;
    private readonly ILogger _logger;
    private readonly StorageCommands _commands;
    private readonly WalFlusher? _flusher;

    // What Open read, until Load hands it over or a Write makes it stale: a node's start reads a large file once.
    private StoredNode? _opened;
    private long _storedEpoch;
    private long _storedAppliedSeq;

    // No stored log entry is below this (long.MaxValue: the log is empty); it decides when to trim.
    private long _oldestLogged;
    private bool _damaged;
    private bool _disposed;

    private NodeStorage(string databasePath, FsyncPolicy fsync, long retainedEntries, ILogger logger, SqliteConnection connection, StoredNode opened)
    {
        DatabasePath = databasePath;
        Fsync = fsync;
        _retainedEntries = retainedEntries;
        _logger = logger;
        _connection = connection;
        _opened = opened;
        _storedEpoch = opened.State.Epoch;
        _storedAppliedSeq = opened.State.AppliedSeq;
        _oldestLogged = opened.Log.Count > 0 ? opened.Log[0].Seq : long.MaxValue;
        _commands = new StorageCommands(connection);
        _flusher = fsync == FsyncPolicy.EverySec ? new WalFlusher(databasePath + "-wal", logger) : null;
    }

    /// <summary>The full path of <c>kvstore.db</c>.</summary>
    public string DatabasePath { get; }

    /// <summary>When writes are forced to disk.</summary>
    public FsyncPolicy Fsync { get; }

    /// <summary>
    /// Opens (creating if missing) the data directory and its <c>kvstore.db</c>, checks the whole file
    /// and reads it, logging at Information what it found and at Warning any torn write it cut off.
    /// </summary>
    /// <param name="directory">The node's data directory; created if missing.</param>
    /// <param name="fsync">When writes are forced to disk.</param>
    /// <param name="retainedEntries">
    /// How many applied entries to keep in the stored log (entries, 0 or more): a leader keeps its
    /// replication backlog, a follower (0) keeps only entries it has not applied yet. Older ones are
    /// deleted in steps of about <see cref="TrimStep"/> entries.
    /// </param>
    /// <param name="logger">For what was found, torn writes, and failed fsyncs.</param>
    /// <returns>The open storage; <see cref="Load"/> returns what it read.</returns>
    /// <exception cref="StorageCorruptException">The file is damaged other than by a torn last write.</exception>
    /// <exception cref="StorageException">
    /// The file is not this store's, has a schema version this build does not know, has a <c>-wal</c>
    /// file without its database, or could not be opened or read (permissions, I/O errors).
    /// </exception>
    public static NodeStorage Open(string directory, FsyncPolicy fsync, long retainedEntries, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(retainedEntries);
        ArgumentNullException.ThrowIfNull(logger);
        if (!Enum.IsDefined(fsync))
        {
            throw new ArgumentOutOfRangeException(nameof(fsync), fsync, "not a fsync policy");
        }

        var started = Stopwatch.GetTimestamp();
        var path = Path.GetFullPath(Path.Combine(directory, FileName));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            CheckWal(path, logger);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"DATA_DIR: {path} could not be opened ({ex.Message})", ex);
        }

        SqliteConnection? connection = null;
        var opened = false;
        try
        {
            connection = Connect(path);
            var stored = OpenSchemaAndRead(connection, path, fsync);
            var storage = new NodeStorage(path, fsync, retainedEntries, logger, connection, stored);
            opened = true;
            LogOpened(logger, path, stored.State.Epoch, stored.State.AppliedSeq, stored.State.Items.Count, stored.Log.Count, fsync,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return storage;
        }
        catch (SqliteException ex)
        {
            throw Translate(path, ex, "could not be opened");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"DATA_DIR: {path} could not be opened ({ex.Message})", ex);
        }
        finally
        {
            if (!opened)
            {
                // Closed without a checkpoint (see Connect): a damaged file is left exactly as it was.
                connection?.Dispose();
            }
        }
    }

    /// <summary>
    /// Forces unsynced writes to disk (<see cref="FsyncPolicy.EverySec"/>), copies the WAL into the
    /// database file and closes it. After a write found damage the file is closed as it is.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _flusher?.Dispose();
        try
        {
            if (!_damaged)
            {
                // The next Open then reads one file instead of replaying the WAL.
                using var checkpoint = _connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }
        }
        catch (SqliteException ex)
        {
            // The WAL stays and is replayed at the next open: nothing is lost.
            LogCheckpointFailed(_logger, DatabasePath, ex.Message);
        }
        finally
        {
            _commands.Dispose();
            _connection.Dispose();
        }
    }

    private static void CheckWal(string path, ILogger logger)
    {
        var walPath = path + "-wal";
        if (!File.Exists(path) && File.Exists(walPath) && new FileInfo(walPath).Length > 0)
        {
            // SQLite would replay this WAL onto a new, empty database file: pages of another file.
            throw new StorageException(
                $"DATA_DIR: {walPath} exists without {path}; move it (and {FileName}-shm) aside or put the database back, then start the node again");
        }

        var tail = WalTail.Inspect(walPath);
        if (tail.TornBytes > 0)
        {
            LogTornWal(logger, walPath, tail.TornBytes, tail.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage {Path}: epoch {Epoch}, applied seq {AppliedSeq}, {Keys} keys, {LogEntries} log entries, fsync {Fsync}; loaded in {ElapsedMs} ms")]
    private static partial void LogOpened(ILogger logger, string path, long epoch, long appliedSeq, int keys, int logEntries, FsyncPolicy fsync, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{WalPath}: torn write of {TornBytes} bytes past the last whole committed batch ({Reason}) cut off; the node catches up the rest from the leader")]
    private static partial void LogTornWal(ILogger logger, string walPath, long tornBytes, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing {Path} without a checkpoint ({Error}); its WAL is replayed at the next start")]
    private static partial void LogCheckpointFailed(ILogger logger, string path, string error);
}

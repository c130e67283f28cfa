using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KvActors.Storage;

/// <content>Opening the file: the connection, WAL mode and fsync level, the schema, the integrity check.</content>
public sealed partial class NodeStorage
{
    /// <summary>The schema this build writes and reads, kept in <c>meta</c> as <c>schema_version</c>.</summary>
    private const long SchemaVersion = 1;

    // items: the applied state. log: stored entries; op is (int)WriteOp, value the raw JSON of a put,
    // NULL for a delete. meta: epoch, applied_seq, schema_version. Values are the client's JSON text as
    // received, so a reload returns byte-for-byte what was written.
    private const string CreateSchema = """
        CREATE TABLE meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE items(key TEXT PRIMARY KEY, value TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE log(seq INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, op INTEGER NOT NULL, key TEXT NOT NULL, value TEXT);
        INSERT INTO meta(name, value) VALUES ('schema_version', $version), ('epoch', 0), ('applied_seq', 0);
        """;

    private static SqliteConnection Connect(string path)
    {
        // Not pooled: storage holds its one connection for the node's life, and closing it must release the file.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,

            // Seconds a statement waits for a lock: only a second process on the same file holds one
            // (see the exclusive locking below), and it should be refused in seconds, not the default 30.
            DefaultTimeout = 2,
        }.ToString());
        try
        {
            connection.Open();

            // SQLite's last connection checkpoints on close, writing WAL pages into the database file;
            // a damaged file must be left as found. A clean Dispose checkpoints explicitly instead.
            SqliteException.ThrowExceptionForRC(
                raw.sqlite3_db_config(connection.Handle, raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _), connection.Handle);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static StoredNode OpenSchemaAndRead(SqliteConnection connection, string path, FsyncPolicy fsync)
    {
        // The first read takes the file's lock and keeps it until close, so a second node started on the
        // same data directory is refused instead of interleaving its writes with this one's. (In WAL
        // mode this also keeps the WAL index in memory: no -shm file.)
        Execute(connection, "PRAGMA locking_mode=EXCLUSIVE");
        var mode = Scalar(connection, "PRAGMA journal_mode=WAL") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException($"DATA_DIR: {path} could not be put in WAL mode (journal mode is {mode})");
        }

        // In WAL mode FULL fsyncs the WAL at every commit; NORMAL only at checkpoints (the timer does the rest); OFF never.
        Execute(connection, fsync switch
        {
            FsyncPolicy.Always => "PRAGMA synchronous=FULL",
            FsyncPolicy.EverySec => "PRAGMA synchronous=NORMAL",
            _ => "PRAGMA synchronous=OFF",
        });
        EnsureSchema(connection, path);
        QuickCheck(connection, path);
        return Read(connection, path);
    }

    private static void EnsureSchema(SqliteConnection connection, string path)
    {
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            using var transaction = connection.BeginTransaction();
            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = CreateSchema;
            create.Parameters.AddWithValue("$version", SchemaVersion);
            create.ExecuteNonQuery();
            transaction.Commit();
            return;
        }

        if (!tables.Contains("meta"))
        {
            throw new StorageException($"DATA_DIR: {path} is an SQLite database but not kvstore's (it has no meta table); give the node an empty data directory");
        }

        var version = Scalar(connection, "SELECT value FROM meta WHERE name = 'schema_version'");
        if (version is not long known || known != SchemaVersion)
        {
            throw new StorageException(
                $"DATA_DIR: {path} has storage schema version {version ?? "(none)"}; this build reads version {SchemaVersion} only");
        }
    }

    // quick_check walks every page of every b-tree (structure, cell bounds, free list), skipping only
    // the index-versus-table cross-check, which this schema has no secondary indexes for.
    private static void QuickCheck(SqliteConnection connection, string path)
    {
        var findings = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(3)";
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                findings.Add(reader.GetString(0));
            }
        }

        if (findings is not ["ok"])
        {
            throw new StorageCorruptException(path, "quick_check: " + string.Join("; ", findings), null);
        }
    }

    private static StorageException Translate(string path, SqliteException ex, string failed)
    {
        // Extended codes (SQLITE_CORRUPT_INDEX, ...) keep the primary code in their low byte.
        return (ex.SqliteErrorCode & 0xFF) switch
        {
            raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB => new StorageCorruptException(path, ex.Message, ex),
            raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new StorageException(
                $"DATA_DIR: {path} {failed}: it is locked by another process (another node on the same data directory?)", ex),
            _ => new StorageException($"DATA_DIR: {path} {failed} ({ex.Message})", ex),
        };
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

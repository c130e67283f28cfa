namespace KvActors.Storage;

/// <summary>
/// A node's database file is damaged somewhere other than a torn last write: SQLite reports it
/// corrupt or not a database, its integrity check fails, or a stored value does not parse. The node
/// must stop rather than serve what it holds; storage never deletes or modifies such a file.
/// </summary>
/// <remarks>
/// The message is one line: <c>DATA_DIR: &lt;path&gt; is damaged (&lt;detail&gt;); stop the node, ...</c>,
/// telling an operator to move the files aside so the node resyncs from the cluster.
/// </remarks>
public sealed class StorageCorruptException : StorageException
{
    /// <summary>Creates the exception.</summary>
    public StorageCorruptException()
    {
    }

    /// <summary>Creates the exception with a message of the caller's own.</summary>
    /// <param name="message">One line.</param>
    public StorageCorruptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message of the caller's own.</summary>
    /// <param name="message">One line.</param>
    /// <param name="innerException">What detected the damage.</param>
    public StorageCorruptException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the standard one-line message.</summary>
    /// <param name="databasePath">The full path of the damaged <c>kvstore.db</c>.</param>
    /// <param name="detail">What was found, e.g. SQLite's error or the integrity check's first finding; flattened to one line.</param>
    /// <param name="innerException">What detected the damage, if an exception did.</param>
    public StorageCorruptException(string databasePath, string detail, Exception? innerException)
        : base(FormatMessage(databasePath, detail), innerException)
    {
        DatabasePath = databasePath;
    }

    /// <summary>The full path of the damaged file, when the standard message was used.</summary>
    public string? DatabasePath { get; }

    private static string FormatMessage(string databasePath, string detail) =>
        $"DATA_DIR: {databasePath} is damaged ({OneLine(detail).TrimEnd('.')}); stop the node, move it and its -wal and -shm files aside "
        + "and start it again to resync it from the cluster";

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

namespace KvActors.Storage;

/// <summary>
/// A node's storage cannot be used: its file is of an unknown schema version, is not this store's,
/// or could not be opened. The message is one line naming the file, for the node to stop with.
/// </summary>
public class StorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: which file, what is wrong, what to do.</param>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: which file, what is wrong, what to do.</param>
    /// <param name="innerException">The SQLite or I/O error behind it.</param>
    public StorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

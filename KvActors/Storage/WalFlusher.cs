using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace KvActors.Storage;

/// <summary>
/// <see cref="FsyncPolicy.EverySec"/>'s fsync: a second after the first batch committed since the
/// last fsync, forces the <c>-wal</c> file to disk through a handle of its own, so the writer's
/// SQLite connection is never used off the writer's thread. The timer is armed only by a write, so
/// an idle node never wakes for it.
/// </summary>
/// <remarks>
/// <para>fsync acts on the file, not the descriptor, so this handle flushes what SQLite wrote through
/// its own. The WAL file keeps its identity while the connection is open (a checkpoint truncates or
/// rewrites it, never replaces it). The database file needs no timer: SQLite fsyncs it in every
/// checkpoint at <c>synchronous=NORMAL</c>.</para>
/// <para>Threading: <see cref="MarkWritten"/> on the writer's thread, the flush on a timer thread;
/// the dirty flag is cleared before the fsync, and the timer is disarmed after it and armed again if
/// a batch came meanwhile, so every batch is fsynced within about a second of its commit.</para>
/// </remarks>
internal sealed partial class WalFlusher : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly SafeFileHandle _wal;
    private readonly string _walPath;
    private readonly ILogger _logger;
    private readonly Timer _timer;
    private int _dirty;
    private int _armed;

    /// <summary>Opens the WAL file and starts the timer.</summary>
    /// <param name="walPath">The database's <c>-wal</c> file, created empty if SQLite has not yet.</param>
    /// <param name="logger">For fsyncs that fail.</param>
    /// <exception cref="IOException">The file could not be opened.</exception>
    public WalFlusher(string walPath, ILogger logger)
    {
        _walPath = walPath;
        _logger = logger;
        _wal = File.OpenHandle(walPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        _timer = new Timer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Notes that a batch was committed, and arms the timer unless it is armed. Called after each commit.</summary>
    public void MarkWritten()
    {
        Volatile.Write(ref _dirty, 1);
        Arm();
    }

    /// <summary>Stops the timer, waits for a running fsync, then fsyncs what is still unsynced.</summary>
    public void Dispose()
    {
        using (var stopped = new ManualResetEvent(false))
        {
            if (_timer.Dispose(stopped))
            {
                stopped.WaitOne();
            }
        }

        FlushIfWritten();
        _wal.Dispose();
    }

    private void Arm()
    {
        if (Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            // One shot: a tick never overlaps the next, however slow the disk.
            _timer.Change(Period, Timeout.InfiniteTimeSpan);
        }
    }

    private void Tick()
    {
        FlushIfWritten();
        Volatile.Write(ref _armed, 0);
        if (Volatile.Read(ref _dirty) == 1)
        {
            // Committed during the fsync, or the fsync failed: the next one is a period away.
            Arm();
        }
    }

    private void FlushIfWritten()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 0)
        {
            return;
        }

        try
        {
            RandomAccess.FlushToDisk(_wal);
        }
        catch (IOException ex)
        {
            // Try again next tick: the batches stay in the operating system's cache meanwhile, safe from a process kill.
            Volatile.Write(ref _dirty, 1);
            LogFlushFailed(_logger, _walPath, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "fsync of {WalPath} failed, retrying in a second: {Error}")]
    private static partial void LogFlushFailed(ILogger logger, string walPath, string error);
}

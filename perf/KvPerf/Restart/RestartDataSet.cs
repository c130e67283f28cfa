using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KvActors.Storage;
using KvActors.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvPerf.Restart;

/// <summary>
/// The data a restarted cluster starts on: one <c>kvstore.db</c> written with the store's own
/// <see cref="NodeStorage"/>, as a leader would have left it after N writes to N distinct keys
/// (epoch <see cref="Epoch"/>, applied seq N, the newest entries kept in its log), then copied into
/// every node's data directory, as when the whole cluster was stopped at once.
/// </summary>
/// <remarks>
/// Written straight to SQLite, not over HTTP: a million writes through the leader take minutes,
/// and the file is the same either way (the store writes exactly these batches). Followers keep no
/// applied entries in their log; a follower opening this file ignores the leader's tail and trims
/// it at its first write, so one file serves all six.
/// </remarks>
public static class RestartDataSet
{
    /// <summary>The epoch the data was written in: the cluster's first.</summary>
    public const long Epoch = 1;

    /// <summary>
    /// Entries per batch (one transaction each): the group commits of a busy leader are of this
    /// order, and larger ones buy no speed here.
    /// </summary>
    public const int BatchKeys = 10_000;

    // About 100 bytes, so that a value is the size of a small JSON document rather than of a counter.
    private static readonly string Pad = new('x', 100);

    /// <summary>Key number <paramref name="index"/> (0-based): <c>k0000000</c>, ordered as written.</summary>
    public static string KeyOf(long index) => "k" + index.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The JSON value of key number <paramref name="index"/>: <c>{"n":index,"pad":"xxx…"}</c>, about 120 bytes.</summary>
    public static string ValueOf(long index) => $$"""{"n":{{index.ToString(CultureInfo.InvariantCulture)}},"pad":"{{Pad}}"}""";

    /// <summary>
    /// Writes <paramref name="keys"/> keys into a new <c>kvstore.db</c> in <paramref name="directory"/>:
    /// key i (0-based) put at seq i + 1 in epoch <see cref="Epoch"/>, applied seq <paramref name="keys"/>,
    /// the newest <paramref name="logTail"/> entries in the stored log. Closes the file, so the WAL is
    /// checkpointed into it and the directory can be copied.
    /// </summary>
    /// <param name="directory">A data directory without a <c>kvstore.db</c>; created if missing.</param>
    /// <param name="keys">Keys to write, 0 or more; with 0 the file holds epoch 1, seq 0 and nothing else.</param>
    /// <param name="logTail">Entries of the log to keep, the newest, 0 or more.</param>
    /// <param name="progress">Told the share written so far, 0 to 1, after each batch.</param>
    /// <returns>The file written, its size and how long it took.</returns>
    /// <exception cref="IOException">The directory already holds a data file.</exception>
    public static GeneratedData Generate(string directory, int keys, int logTail, IProgress<double>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keys);
        ArgumentOutOfRangeException.ThrowIfNegative(logTail);
        if (File.Exists(Path.Combine(directory, NodeStorage.FileName)))
        {
            // Appending to someone's data would measure a file of unknown size.
            throw new IOException($"{directory} already holds a {NodeStorage.FileName}; give an empty directory.");
        }

        var started = Stopwatch.GetTimestamp();
        string path;

        // FsyncPolicy.No: a crash while generating costs a rerun, nothing else, and fsyncs would
        // multiply the generation time. The nodes themselves run with everysec.
        using (var storage = NodeStorage.Open(directory, FsyncPolicy.No, logTail, NullLogger.Instance))
        {
            path = storage.DatabasePath;
            var written = 0;
            do
            {
                var count = Math.Min(BatchKeys, keys - written);
                storage.Write(Batch(written, count, keys, logTail));
                written += count;
                progress?.Report(keys == 0 ? 1 : (double)written / keys);
            }
            while (written < keys);
        }

        return new GeneratedData(path, new FileInfo(path).Length, keys, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Copies the data directory <paramref name="source"/> (closed: <see cref="Generate"/> has
    /// returned) into each of <paramref name="targets"/>, created if missing.
    /// </summary>
    public static void CopyTo(string source, IEnumerable<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var files = Directory.GetFiles(source);
        foreach (var target in targets)
        {
            Directory.CreateDirectory(target);
            foreach (var file in files)
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: false);
            }
        }
    }

    private static StorageBatch Batch(int first, int count, int keys, int logTail)
    {
        var batch = new StorageBatch { Epoch = Epoch, AppliedSeq = first + count };
        for (var i = first; i < first + count; i++)
        {
            var entry = new LogEntry(Epoch, i + 1, WriteOp.Put, KeyOf(i), JsonElement.Parse(ValueOf(i)));
            batch.Applied.Add(entry);

            // The leader logs every entry and trims the old ones; writing only the tail is the same file.
            if (i + 1 > keys - logTail)
            {
                batch.Logged.Add(entry);
            }
        }

        return batch;
    }
}

using System.Security.Cryptography;
using KvActors.Storage;
using KvHost.Tests.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static KvHost.Tests.TestKit.StorageBatches;

namespace KvHost.Tests.Storage;

/// <summary>
/// A node's storage after what goes wrong on real disks: a killed process, a write torn by a crash,
/// a file damaged elsewhere or not SQLite at all, a newer schema, a second node on the same files.
/// </summary>
public sealed class NodeStorageDamageSpecs : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(FsyncPolicy.Always)]
    [InlineData(FsyncPolicy.EverySec)]
    [InlineData(FsyncPolicy.No)]
    public void A_killed_process_leaves_every_batch_whose_write_returned(FsyncPolicy fsync)
    {
        var dir = _temp.Sub("node");
        var image = _temp.Sub("image");
        var batches = Numbered(count: 20, size: 5);
        using var storage = NodeStorage.Open(dir, fsync, retainedEntries: 1000, NullLogger.Instance);
        batches.ForEach(storage.Write);

        CopyCrashImage(dir, image);
        using var recovered = NodeStorage.Open(image, fsync, retainedEntries: 1000, NullLogger.Instance);
        var loaded = recovered.Load();

        StoredText.Of(loaded.State).Should().Equal(StoredText.Of(Expected(batches)));
        StoredText.Of(loaded.Log).Should().Equal(StoredText.Of(batches.SelectMany(b => b.Logged)));
    }

    [Theory]
    [InlineData(FsyncPolicy.Always)]
    [InlineData(FsyncPolicy.EverySec)]
    [InlineData(FsyncPolicy.No)]
    public void A_torn_last_write_is_cut_off_and_logged_and_the_node_starts_with_the_batches_before_it(FsyncPolicy fsync)
    {
        var dir = _temp.Sub("node");
        var image = _temp.Sub("image");
        var batches = Numbered(count: 20, size: 5);
        using var storage = NodeStorage.Open(dir, fsync, retainedEntries: 1000, NullLogger.Instance);
        batches.ForEach(storage.Write);
        CopyCrashImage(dir, image);
        var wal = Path.Combine(image, NodeStorage.FileName + "-wal");
        using (var file = new FileStream(wal, FileMode.Open))
        {
            file.SetLength(file.Length - 100);
        }

        var logger = new CapturingLogger();
        using var recovered = NodeStorage.Open(image, fsync, retainedEntries: 1000, logger);
        var state = recovered.Load().State;

        state.AppliedSeq.Should().BeOneOf([batches[^2].AppliedSeq, batches[^1].AppliedSeq], "at most the last batch is lost");
        StoredText.Of(state).Should().Equal(StoredText.Of(Expected(batches.Where(b => b.AppliedSeq <= state.AppliedSeq))));
        logger.At(LogLevel.Warning).Should().ContainSingle().Which.Should().Contain(Path.GetFullPath(wal)).And.Contain("cut off");
    }

    [Fact]
    public void A_clean_close_logs_no_torn_write_at_the_next_open()
    {
        var dir = _temp.Sub("node");
        using (var storage = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 1000, NullLogger.Instance))
        {
            Numbered(count: 5, size: 5).ForEach(storage.Write);
        }

        var logger = new CapturingLogger();
        using var reopened = NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 1000, logger);

        logger.At(LogLevel.Warning).Should().BeEmpty();
        logger.At(LogLevel.Information).Should().ContainSingle().Which.Should().Contain("applied seq 25").And.Contain("25 keys").And.Contain("EverySec");
    }

    [Fact]
    public void A_file_damaged_in_the_middle_stops_the_node_with_one_line_and_is_left_as_found()
    {
        var dir = _temp.Sub("node");
        using (var storage = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance))
        {
            Numbered(count: 20, size: 1000, padding: 200).ForEach(storage.Write);
        }

        var path = Path.Combine(Path.GetFullPath(dir), NodeStorage.FileName);
        var length = new FileInfo(path).Length;
        length.Should().BeGreaterThan(2_000_000, "the damage must land among many pages of data");
        Overwrite(path, offset: length / 2 / 4096 * 4096, count: 8192);
        var damaged = Hash(path);

        var open = () => NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 0, NullLogger.Instance).Load();

        var message = open.Should().Throw<StorageCorruptException>().Which.Message;
        message.Should().StartWith($"DATA_DIR: {path} is damaged (").And.NotContainAny("\n", "\r");
        Hash(path).Should().Equal(damaged, "a damaged file is never modified");
    }

    [Fact]
    public void Damage_that_no_table_read_reaches_is_found_by_the_integrity_check()
    {
        var dir = _temp.Sub("node");
        using (var storage = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance))
        {
            Numbered(count: 5, size: 100).ForEach(storage.Write);
        }

        // The header's free-page count (bytes 36..39, big-endian): this file has no free pages.
        var path = Path.Combine(Path.GetFullPath(dir), NodeStorage.FileName);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Position = 36;
            file.Write([0, 0, 0, 7]);
        }

        var open = () => NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);

        open.Should().Throw<StorageCorruptException>().Which.Message.Should().Contain("quick_check").And.NotContainAny("\n", "\r");
    }

    [Fact]
    public void A_file_that_is_not_sqlite_stops_the_node_with_one_line_and_is_left_as_found()
    {
        var dir = _temp.Sub("node");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(Path.GetFullPath(dir), NodeStorage.FileName);
        var garbage = new byte[65536];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);

        var open = () => NodeStorage.Open(dir, FsyncPolicy.EverySec, retainedEntries: 0, NullLogger.Instance).Load();

        var message = open.Should().Throw<StorageCorruptException>().Which.Message;
        message.Should().StartWith($"DATA_DIR: {path} is damaged (").And.NotContainAny("\n", "\r");
        File.ReadAllBytes(path).Should().Equal(garbage);
    }

    [Fact]
    public void A_schema_version_this_build_does_not_know_is_refused_by_name()
    {
        var dir = _temp.Sub("node");
        NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance).Dispose();
        var path = Path.Combine(Path.GetFullPath(dir), NodeStorage.FileName);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE meta SET value = 99 WHERE name = 'schema_version'";
            update.ExecuteNonQuery().Should().Be(1);
        }

        var open = () => NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);

        var refused = open.Should().Throw<StorageException>().Which;
        refused.Should().NotBeOfType<StorageCorruptException>("the file is whole, only newer");
        refused.Message.Should().Contain(path).And.Contain("schema version 99");
    }

    [Fact]
    public void A_wal_file_without_its_database_is_refused_rather_than_replayed_onto_an_empty_one()
    {
        var dir = _temp.Sub("node");
        var image = _temp.Sub("image");
        using var storage = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);
        Numbered(count: 3, size: 5).ForEach(storage.Write);
        CopyCrashImage(dir, image);
        File.Delete(Path.Combine(image, NodeStorage.FileName));

        var open = () => NodeStorage.Open(image, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);

        open.Should().Throw<StorageException>().Which.Message.Should().Contain("-wal exists without");
        File.Exists(Path.Combine(image, NodeStorage.FileName)).Should().BeFalse();
    }

    [Fact]
    public void A_second_node_on_the_same_data_directory_is_refused_while_the_first_runs()
    {
        var dir = _temp.Sub("node");
        using var first = NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);
        first.Write(Leader(1, Entries.Put(1, "a", 1)));

        var second = () => NodeStorage.Open(dir, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);

        var refused = second.Should().Throw<StorageException>().Which;
        refused.Should().NotBeOfType<StorageCorruptException>("the file is whole, only in use");
        refused.Message.Should().StartWith("DATA_DIR: ").And.Contain("locked");
        first.Write(Leader(1, Entries.Put(2, "b", 2)));
        StoredText.Of(first.Load().State).Should().Equal("epoch 1 seq 2", "a=1@1", "b=2@2");
    }

    // What a killed process leaves: the database and its WAL as the operating system holds them.
    // The -shm index is not copied, so the reopening SQLite rebuilds it from the WAL as after a reboot.
    private static void CopyCrashImage(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var name in new[] { NodeStorage.FileName, NodeStorage.FileName + "-wal" })
        {
            File.Copy(Path.Combine(from, name), Path.Combine(to, name));
        }
    }

    private static void Overwrite(string path, long offset, int count)
    {
        var garbage = new byte[count];
        new Random(42).NextBytes(garbage);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(garbage);
    }

    private static byte[] Hash(string path) => SHA256.HashData(File.ReadAllBytes(path));
}

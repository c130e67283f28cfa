using KvActors.Storage;
using KvPerf.Restart;
using KvPerf.Tests.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvPerf.Tests.Restart;

public sealed class RestartDataSetSpecs
{
    [Fact]
    public void Generated_file_loads_back_with_N_keys_at_epoch_1_and_applied_seq_N()
    {
        // Arrange: more than two batches, the last one partial.
        using var temp = new TempDirectory();
        const int Keys = (2 * RestartDataSet.BatchKeys) + 345;

        // Act
        var data = RestartDataSet.Generate(temp.File("leader"), Keys, logTail: 100);

        // Assert
        var stored = Load(temp.File("leader"));
        stored.State.Epoch.Should().Be(RestartDataSet.Epoch);
        stored.State.AppliedSeq.Should().Be(Keys);
        stored.State.Items.Should().HaveCount(Keys);
        stored.State.Items[RestartDataSet.KeyOf(0)].Seq.Should().Be(1);
        stored.State.Items[RestartDataSet.KeyOf(0)].Value.GetRawText().Should().Be(RestartDataSet.ValueOf(0));
        stored.State.Items[RestartDataSet.KeyOf(Keys - 1)].Seq.Should().Be(Keys);
        stored.Log.Select(e => e.Seq).Should().Equal(Enumerable.Range(Keys - 99, 100).Select(s => (long)s));
        stored.Log.Should().OnlyContain(e => e.Epoch == RestartDataSet.Epoch);
        data.Keys.Should().Be(Keys);
        data.Bytes.Should().Be(new FileInfo(data.DatabasePath).Length).And.BeGreaterThan(Keys * 100L);
    }

    [Fact]
    public void Zero_keys_is_a_file_at_epoch_1_and_seq_0_holding_nothing()
    {
        using var temp = new TempDirectory();

        RestartDataSet.Generate(temp.File("leader"), 0, logTail: 1_000);

        var stored = Load(temp.File("leader"));
        stored.State.Epoch.Should().Be(RestartDataSet.Epoch);
        stored.State.AppliedSeq.Should().Be(0);
        stored.State.Items.Should().BeEmpty();
        stored.Log.Should().BeEmpty();
    }

    [Fact]
    public void Every_copy_holds_the_same_state_as_the_file_written()
    {
        // Arrange
        using var temp = new TempDirectory();
        RestartDataSet.Generate(temp.File("leader"), 1_500, logTail: 10);

        // Act
        RestartDataSet.CopyTo(temp.File("leader"), [temp.File("follower1"), temp.File("follower2")]);

        // Assert: closed, so the whole state is in kvstore.db and nothing waits in a WAL.
        foreach (var copy in new[] { "follower1", "follower2" })
        {
            var wal = Path.Combine(temp.File(copy), NodeStorage.FileName + "-wal");
            (File.Exists(wal) ? new FileInfo(wal).Length : 0).Should().Be(0);
            var stored = Load(temp.File(copy));
            stored.State.AppliedSeq.Should().Be(1_500);
            stored.State.Items.Should().HaveCount(1_500);
        }
    }

    [Fact]
    public void A_directory_that_already_holds_a_data_file_is_refused()
    {
        using var temp = new TempDirectory();
        RestartDataSet.Generate(temp.File("leader"), 10, logTail: 0);

        var again = () => RestartDataSet.Generate(temp.File("leader"), 10, logTail: 0);

        again.Should().Throw<IOException>().WithMessage("*already holds*");
    }

    private static StoredNode Load(string directory)
    {
        using var storage = NodeStorage.Open(directory, FsyncPolicy.No, retainedEntries: 0, NullLogger.Instance);
        return storage.Load();
    }
}

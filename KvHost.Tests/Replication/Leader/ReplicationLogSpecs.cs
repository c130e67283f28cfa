using KvActors.Replication.Leader;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication.Leader;

public sealed class ReplicationLogSpecs
{
    [Fact]
    public void Log_returns_the_entries_after_a_seq_while_its_backlog_reaches_back_that_far()
    {
        var log = new ReplicationLog(capacity: 3);
        for (var seq = 1; seq <= 5; seq++)
        {
            log.Append(Entries.Put(seq, "k", seq));
        }

        log.TryGetEntriesAfter(2, 100, out var entries).Should().BeTrue();
        entries.Select(e => e.Seq).Should().Equal(3, 4, 5);
        log.TryGetEntriesAfter(5, 100, out var none).Should().BeTrue();
        none.Should().BeEmpty();
        log.TryGetEntriesAfter(1, 100, out _).Should().BeFalse("seq 2 was dropped from a backlog of 3: only a snapshot can help");
        log.TryGetEntriesAfter(6, 100, out _).Should().BeFalse("a follower cannot be ahead of the leader's log");
    }

    [Fact]
    public void Log_refuses_an_entry_that_would_leave_a_gap()
    {
        var log = new ReplicationLog(capacity: 3);
        log.Append(Entries.Put(1, "k", 1));

        var append = () => log.Append(Entries.Put(3, "k", 3));

        append.Should().Throw<ArgumentException>();
        log.LastSeq.Should().Be(1);
    }

    [Fact]
    public void Log_pages_its_entries_and_continues_after_a_recovered_seq()
    {
        var log = new ReplicationLog(capacity: 100);
        log.Reset(lastSeq: 40);
        for (var seq = 41; seq <= 45; seq++)
        {
            log.Append(Entries.Put(seq, "k", seq));
        }

        log.TryGetEntriesAfter(40, 2, out var page).Should().BeTrue();
        page.Select(e => e.Seq).Should().Equal(41, 42);
        log.FirstSeq.Should().Be(41);
        log.TryGetEntriesAfter(39, 100, out _).Should().BeFalse("the recovered leader never had seq 40 as an entry: a follower that far behind needs a snapshot");
    }
}

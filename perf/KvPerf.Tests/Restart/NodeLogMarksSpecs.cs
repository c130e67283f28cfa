using KvPerf.Restart;

namespace KvPerf.Tests.Restart;

public sealed class NodeLogMarksSpecs
{
    // As KvHost's single-line console logger prints them.
    private const string StorageLine =
        "+  3.210s 10:00:03.200 info: KvActors.Storage.NodeStorage[0] Storage /tmp/k/leader/kvstore.db: epoch 1, applied seq 1000000, 1000000 keys, 1000 log entries, fsync EverySec; loaded in 2875 ms";

    [Fact]
    public void The_storage_line_gives_the_load_time_in_ms_and_when_it_was_printed()
    {
        var marks = new NodeLogMarks();

        marks.Observe("10:00:00.400 info: Microsoft.Hosting.Lifetime[0] Application started.", 0.4);
        marks.Observe(StorageLine, 3.21);

        marks.StorageLoadedMs.Should().Be(2875);
        marks.StorageLineS.Should().Be(3.21);
        marks.RecoveredLineS.Should().BeNull();
    }

    [Fact]
    public void Recovery_counts_from_the_line_that_chose_a_state_not_from_waiting()
    {
        var marks = new NodeLogMarks();

        marks.Observe("warn: KvActors.Replication.Leader.LeaderRecovery[0] Recovery: 0 of 5 followers answered, waiting for 1 (N - W + 1) before taking writes", 2.5);
        marks.Observe("info: KvActors.Replication.Leader.LeaderRecovery[0] Recovery: recovered 1000000 keys at seq 1000000 from this leader's own disk (seq 1000000 of epoch 1, plus what the followers held back after it), no follower of the 5/5 that answered being ahead; continuing the log after seq 1000000 in new epoch 2", 5.1);
        marks.Observe("info: KvHost.Hosting.NodeLifecycle[0] Leader leader ready: epoch 2, log continues after seq 1000000", 5.3);
        marks.Observe("info: KvHost.Hosting.NodeLifecycle[0] Leader leader ready: epoch 3, log continues after seq 1000000", 9.9);

        marks.RecoveredLineS.Should().Be(5.1);
        marks.ReadyLineS.Should().Be(5.3, "only the first line of each kind counts");
    }

    [Fact]
    public void An_empty_cluster_recovering_nothing_still_marks_recovery()
    {
        var marks = new NodeLogMarks();

        marks.Observe("info: KvActors.Replication.Leader.LeaderRecovery[0] Recovery: no data on the 1/5 followers that answered; starting empty in epoch 2", 1.7);

        marks.RecoveredLineS.Should().Be(1.7);
    }
}

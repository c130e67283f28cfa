using System.Text.Json;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Runtime;
using KvActors.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvHost.Tests.TestKit;

/// <summary>Builds log entries and drives a follower store the way the replication endpoint does.</summary>
public static class Entries
{
    public static LogEntry Put(long seq, string key, object value, long epoch = 1) =>
        new(epoch, seq, WriteOp.Put, key, JsonSerializer.SerializeToElement(value));

    public static LogEntry Delete(long seq, string key, long epoch = 1) =>
        new(epoch, seq, WriteOp.Delete, key, null);

    /// <summary>
    /// A follower that has done its first sync with a leader of <paramref name="epoch"/> (an empty
    /// snapshot): before that, a follower applies no entry of any epoch.
    /// </summary>
    public static StoreActor StartedFollower(AckMode mode = AckMode.Received, long epoch = 1)
    {
        var store = StoreActor.ForFollower(mode, NullLogger.Instance);
        store.Start();
        if (epoch != 0)
        {
            var installed = Ask.NewReply<bool>();
            store.Tell(new StoreMessages.InstallSnapshot(StoreSnapshot.Empty(epoch), installed));
            installed.Task.Wait(TimeSpan.FromSeconds(5));
        }

        return store;
    }

    /// <summary>A leader's store that has started <paramref name="epoch"/> from <paramref name="recovered"/> (default: empty).</summary>
    public static StoreActor StartedLeader(ReplicationLog log, long epoch = 1, StoreSnapshot? recovered = null)
    {
        var store = StoreActor.ForLeader(log, NullLogger.Instance);
        store.Start();
        var ready = Ask.NewReply<StoreSnapshot>();
        store.Tell(new StoreMessages.BecomeLeader(recovered ?? StoreSnapshot.Empty(epoch), ready));
        ready.Task.Wait(TimeSpan.FromSeconds(5));
        return store;
    }

    public static async Task<bool> Install(StoreActor follower, StoreSnapshot snapshot)
    {
        var reply = Ask.NewReply<bool>();
        follower.Tell(new StoreMessages.InstallSnapshot(snapshot, reply));
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Sends an entry and returns the pending acknowledgement (it may not complete, in applied mode).</summary>
    public static Task<ReplicateOutcome> Send(StoreActor follower, LogEntry entry)
    {
        var reply = Ask.NewReply<ReplicateOutcome>();
        follower.Tell(new StoreMessages.ApplyReplicated(entry, reply));
        return reply.Task;
    }

    public static async Task<ReplicateOutcome> SendAndWait(StoreActor follower, LogEntry entry) =>
        await Send(follower, entry).WaitAsync(TimeSpan.FromSeconds(5));
}

using System.Text.Json;
using KvActors.Replication.Follower;
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

    public static StoreActor StartedFollower(AckMode mode = AckMode.Received)
    {
        var store = StoreActor.ForFollower(mode, NullLogger.Instance);
        store.Start();
        return store;
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

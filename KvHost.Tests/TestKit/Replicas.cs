using KvActors.Replication.Follower;
using KvActors.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvHost.Tests.TestKit;

/// <summary>Follower replicas for specs that drive the rules directly; a waiter is any string naming who asked.</summary>
public static class Replicas
{
    /// <summary>
    /// A replica that has done its first sync with a leader of <paramref name="epoch"/> (an empty
    /// snapshot): before that, a follower applies no entry of any epoch.
    /// </summary>
    public static FollowerReplica<string> Started(AckMode mode = AckMode.Received, long epoch = 1)
    {
        var replica = new FollowerReplica<string>(mode, NullLogger.Instance);
        replica.Install(StoreSnapshot.Empty(epoch), out _);
        return replica;
    }
}

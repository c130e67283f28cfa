using Akka.Actor;
using KvActors.Replication;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Replication;

/// <summary>
/// Only the cluster may replicate: real nodes on loopback, reached over Akka.Remote with mutual TLS
/// by a process holding another certificate, and by one holding the cluster's but sending bad entries.
/// </summary>
public sealed class ReplicationSecuritySpecs
{
    [Fact]
    public async Task A_process_without_the_cluster_certificate_cannot_change_a_follower()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        (await cluster.PutAsync("target", "original")).EnsureSuccessStatusCode();
        await cluster.AssertConvergedAsync(TimeSpan.FromSeconds(10));
        var epoch = (await cluster.GetJsonAsync(cluster.Leader, "/status")).GetProperty("epoch").GetInt64();
        var before = (await cluster.GetJsonAsync(cluster.Followers[0], "/kv")).GetRawText();

        await using var impostor = new RemoteReplicator(TestCertificates.Impostor);
        var forge = () => impostor.ReplicateAsync(cluster.FollowerStores[0], Entries.Put(2, "target", "forged", epoch), TimeSpan.FromSeconds(5));

        await forge.Should().ThrowAsync<AskTimeoutException>("the follower refuses the TLS handshake, so nothing is delivered or answered");
        (await cluster.GetJsonAsync(cluster.Followers[0], "/kv")).GetRawText().Should().Be(before);
    }

    [Fact]
    public async Task Replayed_far_ahead_and_stale_entries_change_no_follower_even_from_inside_the_cluster()
    {
        await using var cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1);
        for (var i = 0; i < 3; i++)
        {
            (await cluster.PutAsync($"target-{i}", i)).EnsureSuccessStatusCode();
        }

        await cluster.AssertConvergedAsync(TimeSpan.FromSeconds(10));
        var status = await cluster.GetJsonAsync(cluster.Leader, "/status");
        var (epoch, seq) = (status.GetProperty("epoch").GetInt64(), status.GetProperty("appliedSeq").GetInt64());
        var before = (await cluster.GetJsonAsync(cluster.Followers[0], "/kv")).GetRawText();
        await using var insider = new RemoteReplicator(TestCertificates.Cluster);
        var store = cluster.FollowerStores[0];

        var replay = await insider.ReplicateAsync(store, Entries.Put(seq, "target-0", "replayed", epoch));
        var ahead = await insider.ReplicateAsync(store, Entries.Put(seq + 1_000_000, "target-0", "ahead", epoch));
        var stale = await insider.ReplicateAsync(store, Entries.Put(seq + 1, "target-0", "stale", epoch - 1));

        replay.Should().BeOfType<ReplicationMessages.Replicated>("an applied seq is acknowledged again, not applied twice");
        ahead.Should().BeOfType<ReplicationMessages.ReplicationFailed>().Which.Error.Should().Contain("too far ahead");
        stale.Should().BeOfType<ReplicationMessages.ReplicationFailed>().Which.Error.Should().Contain("stale epoch");
        (await cluster.GetJsonAsync(cluster.Followers[0], "/kv")).GetRawText().Should().Be(before);
    }
}

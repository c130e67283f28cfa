using System.Text.Json;
using KvActors.Replication;
using KvActors.Replication.Leader;
using KvActors.Runtime;
using KvActors.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvHost.Tests.TestKit;

/// <summary>
/// A leader's store and write coordinator on a manual clock, with a probe standing in for each
/// follower: the spec sees every replicate message and decides which follower answers, and when.
/// </summary>
public sealed class LeaderRig : IAsyncDisposable
{
    private LeaderRig(ManualTimeProvider clock, StoreActor store, WriteCoordinator coordinator, TestProbe<ReplicationMessages.Replicate>[] followers)
    {
        Clock = clock;
        Store = store;
        Coordinator = coordinator;
        Followers = followers;
    }

    public ManualTimeProvider Clock { get; }

    public StoreActor Store { get; }

    public WriteCoordinator Coordinator { get; }

    public TestProbe<ReplicationMessages.Replicate>[] Followers { get; }

    public static LeaderRig Start(int writeQuorum, int minDelayMs = 0, int maxDelayMs = 0, int timeoutMs = 1000, int followers = 5)
    {
        var clock = new ManualTimeProvider();
        var store = Entries.StartedLeader(new ReplicationLog(1000));
        var probes = Enumerable.Range(1, followers).Select(i => new TestProbe<ReplicationMessages.Replicate>($"follower{i}")).ToArray();
        var settings = new ReplicationSettings(writeQuorum, TimeSpan.FromMilliseconds(minDelayMs), TimeSpan.FromMilliseconds(maxDelayMs), TimeSpan.FromMilliseconds(timeoutMs));
        var coordinator = new WriteCoordinator(store, probes, settings, clock, new Random(42), NullLoggerFactory.Instance);
        coordinator.Start();
        return new LeaderRig(clock, store, coordinator, probes);
    }

    public Task<WriteOutcome> Put(string key, object value)
    {
        var reply = Ask.NewReply<WriteOutcome>();
        Coordinator.Tell(new WriteCoordinatorMessages.Write(new WriteCommand(WriteOp.Put, key, JsonSerializer.SerializeToElement(value)), reply));
        return reply.Task;
    }

    /// <summary>Follower <paramref name="index"/> takes its next replicate message and acknowledges it.</summary>
    public async Task<ReplicationMessages.Replicate> Acknowledge(int index, ReplicationMessages.Replicate? message = null)
    {
        message ??= await Followers[index].ExpectMsgAsync<ReplicationMessages.Replicate>();
        message.ReplyTo.Tell(new ReplicationMessages.Replicated(Followers[index].Name, message.Entry.Seq, message.Entry.Seq));
        return message;
    }

    public async Task Fail(int index)
    {
        var message = await Followers[index].ExpectMsgAsync<ReplicationMessages.Replicate>();
        message.ReplyTo.Tell(new ReplicationMessages.ReplicationFailed(Followers[index].Name, message.Entry.Seq, "connection refused"));
    }

    public async Task<LeaderStatus> Status() =>
        await Coordinator.AskAsync<WriteCoordinatorMessages.IMessage, LeaderStatus>(
            r => new WriteCoordinatorMessages.GetStatus(r), TimeSpan.FromSeconds(5), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Coordinator.ShutdownAsync();
        await Store.StopAsync();
    }
}

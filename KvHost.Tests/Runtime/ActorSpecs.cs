using KvActors.Runtime;
using KvHost.Tests.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvHost.Tests.Runtime;

public sealed class ActorSpecs
{
    private sealed record Add(int Amount, TaskCompletionSource<int> Reply);

    /// <summary>A counter whose handler throws for negative amounts and is slow enough to expose interleaving.</summary>
    private sealed class Counter() : Actor<Add>("counter", NullLogger.Instance, mailboxCapacity: 4)
    {
        private int _total;

        protected override async ValueTask HandleAsync(Add message)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(message.Amount);
            var before = _total;
            await Task.Yield();
            _total = before + message.Amount;
            message.Reply.TrySetResult(_total);
        }

        protected override void OnHandlerFailed(Add message, Exception exception) => message.Reply.TrySetException(exception);
    }

    [Fact]
    public async Task Actor_must_handle_messages_one_at_a_time()
    {
        await using var counter = new Counter();
        counter.Start();

        var totals = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => counter.AskAsync<Add, int>(r => new Add(1, r), TimeSpan.FromSeconds(10), CancellationToken.None)));

        totals.Max().Should().Be(200, "a read-modify-write across an await loses updates unless handlers never overlap");
        totals.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Actor_must_fail_only_the_reply_of_a_message_whose_handler_throws()
    {
        await using var counter = new Counter();
        counter.Start();

        var bad = () => counter.AskAsync<Add, int>(r => new Add(-1, r), TimeSpan.FromSeconds(5), CancellationToken.None);
        await bad.Should().ThrowAsync<ArgumentOutOfRangeException>();

        (await counter.AskAsync<Add, int>(r => new Add(5, r), TimeSpan.FromSeconds(5), CancellationToken.None)).Should().Be(5);
    }

    [Fact]
    public async Task Actor_must_drain_queued_messages_when_stopped_and_then_refuse_new_ones()
    {
        var counter = new Counter();
        var replies = Enumerable.Range(0, 3).Select(_ => Ask.NewReply<int>()).ToList();
        foreach (var reply in replies)
        {
            counter.Tell(new Add(1, reply));
        }

        counter.Start();
        await counter.StopAsync();

        replies.Select(r => r.Task.Result).Should().Equal(1, 2, 3);
        var late = () => counter.TellAsync(new Add(1, Ask.NewReply<int>())).AsTask();
        await late.Should().ThrowAsync<ActorStoppedException>();
    }
}

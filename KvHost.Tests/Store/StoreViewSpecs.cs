using KvActors.Store;
using Microsoft.Extensions.Time.Testing;

namespace KvHost.Tests.Store;

/// <summary>
/// The view's wait for a <c>seq</c> (read-your-writes): it completes on the publication that reaches
/// the seq, not before; at the bound it gives the latest state, still behind; a client's abort ends it.
/// </summary>
public sealed class StoreViewSpecs
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Wait_completes_at_once_with_the_current_state_when_it_is_already_at_minSeq()
    {
        var view = new StoreView();
        view.Publish(At(3));

        var waited = view.WaitForAsync(3, TimeSpan.Zero, TimeProvider.System, CancellationToken.None);

        waited.IsCompletedSuccessfully.Should().BeTrue("no publication is needed for a state already there");
        (await waited).AppliedSeq.Should().Be(3);
    }

    [Fact]
    public async Task Wait_completes_with_the_first_publication_at_minSeq_and_not_with_the_ones_before()
    {
        var view = new StoreView();
        var time = new FakeTimeProvider();
        var waited = view.WaitForAsync(3, TimeSpan.FromSeconds(1), time, CancellationToken.None);

        view.Publish(At(1));
        view.Publish(At(2));
        waited.IsCompleted.Should().BeFalse("seq 2 is still behind minSeq 3");
        view.Publish(At(3));

        (await waited.WaitAsync(Long)).AppliedSeq.Should().Be(3);
    }

    [Fact]
    public async Task Wait_returns_the_latest_state_still_behind_once_the_bound_has_passed()
    {
        var view = new StoreView();
        var time = new FakeTimeProvider();
        var waited = view.WaitForAsync(5, TimeSpan.FromMilliseconds(500), time, CancellationToken.None);
        view.Publish(At(2));

        time.Advance(TimeSpan.FromMilliseconds(499));
        waited.IsCompleted.Should().BeFalse("the bound has not passed");
        time.Advance(TimeSpan.FromMilliseconds(1));

        (await waited.WaitAsync(Long)).AppliedSeq.Should().Be(2);
    }

    [Fact]
    public async Task Wait_ends_with_a_cancellation_when_the_request_is_aborted()
    {
        var view = new StoreView();
        using var aborted = new CancellationTokenSource();
        var waited = view.WaitForAsync(1, TimeSpan.FromSeconds(10), new FakeTimeProvider(), aborted.Token);

        await aborted.CancelAsync();

        await waited.Invoking(w => w.WaitAsync(Long)).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Waiters_for_every_seq_all_complete_while_the_store_publishes_as_fast_as_it_can()
    {
        // Waiters arrive while publications race past them: any lost wake-up leaves one hanging.
        var view = new StoreView();
        var waiters = Enumerable.Range(1, 200)
            .Select(seq => Task.Run(() => view.WaitForAsync(seq, Long, TimeProvider.System, CancellationToken.None)))
            .ToList();
        var publisher = Task.Run(() =>
        {
            for (var seq = 1; seq <= 200; seq++)
            {
                view.Publish(At(seq));
            }
        });

        await publisher;
        var states = await Task.WhenAll(waiters).WaitAsync(Long);

        states.Select((state, i) => state.AppliedSeq >= i + 1).Should().AllSatisfy(reached => reached.Should().BeTrue());
    }

    [Fact]
    public async Task Wait_refuses_a_negative_minSeq()
    {
        var view = new StoreView();

        await view.Invoking(v => v.WaitForAsync(-1, TimeSpan.Zero, TimeProvider.System, CancellationToken.None))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_catch_up_signal_ignores_publications_that_hold_nothing_back_and_fires_when_entries_start_to_wait()
    {
        var view = new StoreView();
        var signal = view.NextHeldBackChange();

        view.Publish(At(1));
        view.Publish(At(2));
        signal.IsCompleted.Should().BeFalse("an idle follower's catch-up must not wake for every applied write");

        view.Publish(At(2), waitingCount: 1);
        signal.IsCompletedSuccessfully.Should().BeTrue("a gap has opened: the catch-up times it from now");

        var next = view.NextHeldBackChange();
        view.Publish(At(2), waitingCount: 2);
        next.IsCompleted.Should().BeFalse("entries were already held back; the catch-up is already timing the gap");
    }

    [Fact]
    public void The_catch_up_signal_fires_when_a_newer_epoch_starts_to_wait()
    {
        var view = new StoreView();
        view.Publish(At(5), waitingCount: 1);
        var signal = view.NextHeldBackChange();

        view.Publish(At(5), waitingCount: 1, pendingEpoch: 7);

        signal.IsCompletedSuccessfully.Should().BeTrue("a newer epoch's entries need a resync now, not at the next check");
    }

    private static StoreSnapshot At(long seq) => StoreSnapshot.Empty(1) with { AppliedSeq = seq };
}

using System.Threading.Channels;
using KvActors.Runtime;

namespace KvHost.Tests.TestKit;

/// <summary>
/// Stands in for an actor in a spec, as Akka's TestKit probe does: it records what it is told, and
/// the spec decides if and when to answer (e.g. a follower that acknowledges late, twice, or never).
/// </summary>
public sealed class TestProbe<T>(string name) : IActorRef<T>
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);
    private readonly Channel<T> _received = Channel.CreateUnbounded<T>();

    public string Name { get; } = name;

    public void Tell(T message) => _received.Writer.TryWrite(message);

    /// <summary>The next message, which must be a <typeparamref name="TExpected"/>, within a loose deadline.</summary>
    public async Task<TExpected> ExpectMsgAsync<TExpected>(TimeSpan? within = null)
        where TExpected : T
    {
        using var cts = new CancellationTokenSource(within ?? DefaultWait);
        try
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            return message is TExpected expected
                ? expected
                : throw new Xunit.Sdk.XunitException($"{Name} expected {typeof(TExpected).Name} but got {message}");
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{Name} got no {typeof(TExpected).Name} within {within ?? DefaultWait}");
        }
    }

    /// <summary>Asserts nothing arrives for <paramref name="within"/> (real time: keep it short).</summary>
    public async Task ExpectNoMsgAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            var message = await _received.Reader.ReadAsync(cts.Token);
            throw new Xunit.Sdk.XunitException($"{Name} expected no message but got {message}");
        }
        catch (OperationCanceledException)
        {
        }
    }
}

namespace KvActors.Runtime;

/// <summary>
/// A reference that wraps another protocol's replies into the owning actor's own message type,
/// so that, for example, a store's <c>Appended</c> reply can reach a coordinator whose mailbox
/// only takes coordinator messages. The idea is Akka Typed's message adapter.
/// </summary>
/// <typeparam name="TForeign">The replies another actor sends.</typeparam>
/// <typeparam name="TOwn">The owning actor's message type.</typeparam>
internal sealed class MessageAdapter<TForeign, TOwn> : IActorRef<TForeign>
{
    private readonly IActorRef<TOwn> _owner;
    private readonly Func<TForeign, TOwn> _wrap;

    public MessageAdapter(IActorRef<TOwn> owner, Func<TForeign, TOwn> wrap)
    {
        _owner = owner;
        _wrap = wrap;
    }

    public string Name => _owner.Name;

    public void Tell(TForeign message) => _owner.Tell(_wrap(message));
}

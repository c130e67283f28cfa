namespace KvActors.Runtime;

/// <summary>
/// Where messages of type <typeparamref name="TMessage"/> can be sent: a local <see cref="Actor{TMessage}"/>,
/// a remote follower reached over HTTP, a message adapter, or a test probe.
/// </summary>
/// <remarks>
/// Contravariant so that an actor accepting a base message type can stand wherever a reference
/// for a derived reply type is expected. <see cref="Tell"/> never blocks and never throws for a
/// stopped or full target: as in Akka, an undeliverable message becomes a logged dead letter,
/// and the sender learns of trouble only through the replies it does not get (hence timeouts).
/// </remarks>
/// <typeparam name="TMessage">The messages this reference accepts.</typeparam>
public interface IActorRef<in TMessage>
{
    /// <summary>A stable name for logs: an actor's name, or a follower's node name.</summary>
    string Name { get; }

    /// <summary>Sends <paramref name="message"/> without waiting for it to be handled.</summary>
    /// <param name="message">An immutable message.</param>
    void Tell(TMessage message);
}

using Akka.Actor;

namespace KvActors.Store;

/// <summary>
/// The user guardian's supervisor strategy (<c>akka.actor.guardian-supervisor-strategy</c> in
/// <c>akka.hocon</c>): a top-level actor whose handler throws is resumed, not restarted.
/// </summary>
/// <remarks>
/// Akka's default restarts a failing actor, which creates a fresh instance: the store would come back
/// empty and the write coordinator would forget its writes in flight. The data is the point of this
/// node, so one bad message must cost only its own reply (each actor answers it with a failure).
/// </remarks>
public sealed class ResumeOnFailure : SupervisorStrategyConfigurator
{
    /// <inheritdoc />
    public override SupervisorStrategy Create() =>
        // An actor that failed in its constructor has no state to keep and cannot be resumed.
        new OneForOneStrategy(ex => ex is ActorInitializationException ? Directive.Stop : Directive.Resume);
}

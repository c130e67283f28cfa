namespace KvActors.Runtime;

/// <summary>
/// Raised to an asker when the actor's mailbox is closed (the node is shutting down), so the edge
/// can answer 503 instead of waiting for a reply that will never come.
/// </summary>
public sealed class ActorStoppedException : Exception
{
    /// <summary>Creates the exception for the actor named <paramref name="actorName"/>.</summary>
    /// <param name="actorName">The stopped actor's name.</param>
    public ActorStoppedException(string actorName)
        : base($"actor '{actorName}' has stopped")
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public ActorStoppedException()
        : base("the actor has stopped")
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ActorStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

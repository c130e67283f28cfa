namespace KvActors.Runtime;

/// <summary>
/// The request-reply pattern for the edge of the actor system (HTTP handlers): a message carries a
/// <see cref="TaskCompletionSource{TResult}"/> that the actor completes. Actors never await each
/// other's replies (results come back as messages); only code outside the actors asks.
/// </summary>
public static class Ask
{
    /// <summary>
    /// Creates a reply slot whose continuations run asynchronously, so that an actor completing it
    /// never runs the asker's continuation on its own mailbox loop.
    /// </summary>
    /// <typeparam name="TReply">The reply type.</typeparam>
    /// <returns>A fresh, uncompleted reply slot.</returns>
    public static TaskCompletionSource<TReply> NewReply<TReply>() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Sends the message built by <paramref name="build"/> to <paramref name="actor"/>, waiting for
    /// mailbox space if it is bounded and full, and then waits for the reply.
    /// </summary>
    /// <param name="actor">The actor to ask.</param>
    /// <param name="build">Builds the message around the reply slot.</param>
    /// <param name="timeout">How long to wait for the reply; a backstop, not a protocol timeout.</param>
    /// <param name="cancellationToken">Cancels the wait (for example, the HTTP request aborted).</param>
    /// <returns>The actor's reply.</returns>
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    /// <exception cref="ActorStoppedException">The actor has stopped and cannot take the message.</exception>
    public static async Task<TReply> AskAsync<TMessage, TReply>(
        this Actor<TMessage> actor,
        Func<TaskCompletionSource<TReply>, TMessage> build,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(build);
        var reply = NewReply<TReply>();
        await actor.TellAsync(build(reply), cancellationToken);
        return await reply.Task.WaitAsync(timeout, cancellationToken);
    }
}

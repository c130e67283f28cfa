using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace KvActors.Runtime;

/// <summary>
/// A mailbox actor: private state touched only by <see cref="HandleAsync"/>, which runs one message
/// at a time on a single reader loop over a <see cref="Channel{T}"/>. The mailbox is the lock, so a
/// subclass needs no locks and no concurrent collections for its own state.
/// </summary>
/// <remarks>
/// <para>Lifecycle: <see cref="Start"/> runs <see cref="PreStart"/> and then the loop;
/// <see cref="StopAsync"/> (or <see cref="Stop"/> from inside the actor) closes the mailbox, the loop
/// drains what was already queued, runs <see cref="PostStop"/> and ends.</para>
/// <para>A handler that throws is logged and its message is passed to <see cref="OnHandlerFailed"/>
/// so that only that message's reply fails; the actor keeps running (the Npgsql and Akka rule:
/// one bad message never takes the node down).</para>
/// <para>Only a mailbox fed by HTTP requests alone may be bounded (filled with <see cref="TellAsync"/>,
/// so back-pressure reaches clients). A mailbox that other actors Tell must be unbounded: a full one
/// would drop their messages, and an actor awaiting space in another's mailbox from inside its
/// handler could deadlock with it, the reason Akka's default mailbox is unbounded too.</para>
/// </remarks>
/// <typeparam name="TMessage">The root type of the messages this actor handles.</typeparam>
public abstract partial class Actor<TMessage> : IActorRef<TMessage>, IAsyncDisposable
    where TMessage : class
{
    private readonly Channel<TMessage> _mailbox;
    private Task? _loop;

    /// <summary>Creates the actor; it handles nothing until <see cref="Start"/>.</summary>
    /// <param name="name">A name for logs, unique among live actors.</param>
    /// <param name="logger">Where handler failures and dead letters are logged.</param>
    /// <param name="mailboxCapacity">Bounded mailbox size in messages, or null for unbounded.</param>
    protected Actor(string name, ILogger logger, int? mailboxCapacity = null)
    {
        Name = name;
        Logger = logger;
        _mailbox = mailboxCapacity is int capacity
            ? Channel.CreateBounded<TMessage>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            })
            : Channel.CreateUnbounded<TMessage>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The actor's logger, for subclasses' structured log messages.</summary>
    protected ILogger Logger { get; }

    /// <summary>
    /// Completes when the loop has ended after a stop. It never faults: handler exceptions are
    /// caught per message, so awaiting it is how a host observes the loop.
    /// </summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>Starts the mailbox loop. Call once.</summary>
    /// <exception cref="InvalidOperationException">The actor was already started.</exception>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException($"actor '{Name}' was already started");
        }

        _loop = Task.Run(RunAsync);
    }

    /// <inheritdoc />
    public void Tell(TMessage message)
    {
        if (!_mailbox.Writer.TryWrite(message))
        {
            LogDeadLetter(Logger, Name, message.GetType().Name);
        }
    }

    /// <summary>
    /// Sends a message, waiting for space if the mailbox is bounded and full: the edge's way in,
    /// so that a burst of requests waits instead of being dropped.
    /// </summary>
    /// <param name="message">An immutable message.</param>
    /// <param name="cancellationToken">Cancels the wait for space.</param>
    /// <returns>A task that completes once the message is queued.</returns>
    /// <exception cref="ActorStoppedException">The mailbox is closed.</exception>
    public async ValueTask TellAsync(TMessage message, CancellationToken cancellationToken = default)
    {
        try
        {
            await _mailbox.Writer.WriteAsync(message, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            throw new ActorStoppedException($"actor '{Name}' has stopped", ex);
        }
    }

    /// <summary>
    /// Wraps another protocol's replies into this actor's messages (Akka Typed's message adapter).
    /// </summary>
    /// <typeparam name="TForeign">The reply type another actor sends.</typeparam>
    /// <param name="wrap">Turns a reply into one of this actor's messages.</param>
    /// <returns>A reference to hand to the other actor as its reply-to.</returns>
    public IActorRef<TForeign> Adapter<TForeign>(Func<TForeign, TMessage> wrap) =>
        new MessageAdapter<TForeign, TMessage>(this, wrap);

    /// <summary>Closes the mailbox, lets the loop drain what is queued, and waits for it to end.</summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    public async Task StopAsync()
    {
        Stop();
        await Completion;
    }

    /// <summary>
    /// Closes the mailbox without waiting; safe to call from inside a handler (an actor stopping
    /// itself once its work is done). Messages already queued are still handled.
    /// </summary>
    protected void Stop() => _mailbox.Writer.TryComplete();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Handles one message; never called concurrently with itself.</summary>
    /// <param name="message">The message.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    protected abstract ValueTask HandleAsync(TMessage message);

    /// <summary>Runs on the loop before the first message (schedule timers, send first messages).</summary>
    protected virtual void PreStart()
    {
    }

    /// <summary>Runs on the loop after the last message (dispose timers).</summary>
    protected virtual void PostStop()
    {
    }

    /// <summary>
    /// Called when handling <paramref name="message"/> threw, to fail that message's reply (if it
    /// carries one) so its asker is not left waiting. The default does nothing.
    /// </summary>
    /// <param name="message">The message whose handler threw.</param>
    /// <param name="exception">What it threw.</param>
    protected virtual void OnHandlerFailed(TMessage message, Exception exception)
    {
    }

    private async Task RunAsync()
    {
        var reader = _mailbox.Reader;
        try
        {
            PreStart();
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var message))
                {
                    await HandleOneAsync(message);
                }
            }
        }
        finally
        {
            PostStop();
        }
    }

    private async ValueTask HandleOneAsync(TMessage message)
    {
        try
        {
            await HandleAsync(message);
        }
#pragma warning disable CA1031 // One failing message must fail only its own reply, never the loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogHandlerFailed(Logger, ex, Name, message.GetType().Name);
            OnHandlerFailed(message, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Actor {Actor} failed to handle {MessageType}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string actor, string messageType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dead letter: {Actor} did not take {MessageType} (stopped or full)")]
    private static partial void LogDeadLetter(ILogger logger, string actor, string messageType);
}

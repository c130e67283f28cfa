using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Runtime;
using Microsoft.Extensions.Logging;

namespace KvActors.Store;

/// <summary>
/// Owns a node's data. On the leader it gives each write the next <c>seq</c>, applies it and appends
/// it to the replication log (<c>StoreActor.Leader.cs</c>); on a follower it applies replicated
/// entries strictly in <c>seq</c> order (<c>StoreActor.Follower.cs</c>).
/// </summary>
/// <remarks>
/// <para>Accepts, on the leader, <see cref="StoreMessages.BecomeLeader"/>, <see cref="StoreMessages.Append"/>
/// and <see cref="StoreMessages.ReadLog"/>; on a follower, <see cref="StoreMessages.ApplyReplicated"/>,
/// <see cref="StoreMessages.ApplyCaughtUp"/>, <see cref="StoreMessages.InstallSnapshot"/> and
/// <see cref="StoreMessages.ReadPosition"/>. Sends
/// <see cref="StoreMessages.IAppendReply"/> to the append's sender and completes every other reply.</para>
/// <para>Reads do not enter the mailbox: after each change the actor publishes an immutable
/// <see cref="StoreSnapshot"/>, and any thread reads <see cref="Current"/>. So reads run fully
/// concurrently, never wait behind writes, and always see a state at one <c>seq</c>.</para>
/// </remarks>
public sealed partial class StoreActor : Actor<StoreMessages.IMessage>
{
    // Written only by the mailbox loop, read from request threads: hence Volatile on both sides.
    private StoreSnapshot _snapshot;
    private readonly ReplicationLog? _log;
    private readonly AckMode _ackMode;

    private StoreActor(string name, ILogger logger, StoreSnapshot initial, ReplicationLog? log, AckMode ackMode, int? mailboxCapacity)
        : base(name, logger, mailboxCapacity)
    {
        _snapshot = initial;
        _log = log;
        _ackMode = ackMode;
    }

    /// <summary>
    /// Creates the leader's store, in no epoch: it refuses appends until a
    /// <see cref="StoreMessages.BecomeLeader"/> gives it the recovered state and its new epoch.
    /// </summary>
    /// <param name="log">The replication log to append to; owned by this actor from now on.</param>
    /// <param name="logger">For handler failures.</param>
    /// <returns>
    /// The unstarted actor. Its mailbox is fed by the write coordinator and by catch-up reads whose
    /// number is bounded by the followers, so it is unbounded.
    /// </returns>
    public static StoreActor ForLeader(ReplicationLog log, ILogger logger) =>
        new("store", logger, StoreSnapshot.Empty(0), log, AckMode.Received, mailboxCapacity: null);

    /// <summary>Creates a follower's store: empty, in no epoch until the first entry arrives.</summary>
    /// <param name="ackMode">When to acknowledge an entry: on receipt or once applied.</param>
    /// <param name="logger">For handler failures and epoch changes.</param>
    /// <param name="mailboxCapacity">Bounded, because replicate requests from HTTP feed it.</param>
    /// <returns>The unstarted actor.</returns>
    public static StoreActor ForFollower(AckMode ackMode, ILogger logger, int mailboxCapacity = 4096) =>
        new("store", logger, StoreSnapshot.Empty(0), log: null, ackMode, mailboxCapacity);

    /// <summary>The latest published state; safe to read from any thread, never torn.</summary>
    public StoreSnapshot Current => Volatile.Read(ref _snapshot);

    /// <summary>True on the leader's store.</summary>
    public bool IsLeader => _log is not null;

    /// <summary>When this follower acknowledges entries (always <see cref="AckMode.Received"/> on the leader).</summary>
    public AckMode AckMode => _ackMode;

    /// <inheritdoc />
    protected override ValueTask HandleAsync(StoreMessages.IMessage message)
    {
        switch (message)
        {
            case StoreMessages.Append append:
                HandleAppend(append);
                break;
            case StoreMessages.ApplyReplicated replicated:
                HandleReplicated(replicated);
                break;
            case StoreMessages.BecomeLeader become:
                HandleBecomeLeader(become);
                break;
            case StoreMessages.ReadLog read:
                HandleReadLog(read);
                break;
            case StoreMessages.ApplyCaughtUp caughtUp when _log is null:
                HandleCaughtUp(caughtUp);
                break;
            case StoreMessages.InstallSnapshot install when _log is null:
                HandleInstallSnapshot(install);
                break;
            case StoreMessages.ReadPosition read when _log is null:
                read.Reply.TrySetResult(new StoreMessages.Position(_snapshot.Epoch, _snapshot.AppliedSeq, [.. _heldBack.Values]));
                break;
            default:
                throw new ArgumentException($"unexpected message {message.GetType().Name}", nameof(message));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override void OnHandlerFailed(StoreMessages.IMessage message, Exception exception)
    {
        switch (message)
        {
            case StoreMessages.Append append:
                append.ReplyTo.Tell(new StoreMessages.AppendFailed(append.CorrelationId, exception.Message));
                break;
            case StoreMessages.ApplyReplicated replicated:
                replicated.Reply.TrySetException(exception);
                break;
            case StoreMessages.BecomeLeader become:
                become.Reply.TrySetException(exception);
                break;
            case StoreMessages.ReadLog read:
                read.Reply.TrySetException(exception);
                break;
            case StoreMessages.ApplyCaughtUp caughtUp:
                caughtUp.Reply.TrySetException(exception);
                break;
            case StoreMessages.InstallSnapshot install:
                install.Reply.TrySetException(exception);
                break;
            case StoreMessages.ReadPosition read:
                read.Reply.TrySetException(exception);
                break;
        }
    }

    private void Publish(StoreSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);
}

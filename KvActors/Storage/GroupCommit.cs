using Akka.Actor;

namespace KvActors.Storage;

/// <summary>
/// A store actor's writes to its disk, with the replies that must wait for them: while one batch is
/// written on a pool thread, what the following messages change gathers in the next one, and each
/// reply goes out once the batch holding its data is written (group commit, as PostgreSQL's WAL
/// writer and Redis's AOF do). One fsync then covers every write of a batch under <c>FSYNC=always</c>.
/// </summary>
/// <remarks>
/// Owned by the actor: not thread-safe. The actor adds to <see cref="Batch"/>, queues its replies
/// with <see cref="Reply"/>, calls <see cref="Flush"/> after each message and calls
/// <see cref="OnWritten"/> on each <see cref="Written"/>. Replies keep their order: one that needs no
/// write still waits behind those that do. A batch's replies are sent by the pool thread that wrote
/// it, as soon as it is written.
/// </remarks>
public sealed class GroupCommit
{
    private readonly NodeStorage _storage;
    private StorageBatch _batch = new();
    private List<(IActorRef To, object Message)> _replies = [];
    private bool _writing;

    /// <summary>Creates the group commit of one store.</summary>
    /// <param name="storage">The node's storage, written by this object only from now on.</param>
    public GroupCommit(NodeStorage storage) => _storage = storage;

    /// <summary>What the next write will hold; the actor adds to it, or replaces it with <see cref="Replace"/>.</summary>
    public StorageBatch Batch => _batch;

    /// <summary>
    /// Starts the next batch over with a whole state (an installed snapshot, a recovered leader's
    /// state): what the open batch held is superseded by it.
    /// </summary>
    /// <param name="state">The state to store in place of everything stored.</param>
    public void Replace(Store.StoreSnapshot state) => _batch = new StorageBatch { Replace = state };

    /// <summary>Sends <paramref name="message"/> to <paramref name="to"/> once everything added so far is on disk.</summary>
    /// <param name="to">The recipient.</param>
    /// <param name="message">The reply.</param>
    public void Reply(IActorRef to, object message)
    {
        if (!_writing && _batch.IsEmpty && _replies.Count == 0)
        {
            to.Tell(message);
            return;
        }

        _replies.Add((to, message));
    }

    /// <summary>Starts writing the open batch unless a write is under way (its completion starts the next).</summary>
    /// <param name="self">The owning actor, which gets a <see cref="Written"/> or a <see cref="Status.Failure"/> back.</param>
    /// <param name="epoch">The state's epoch now, stored with the batch.</param>
    /// <param name="appliedSeq">The state's applied <c>seq</c> now, stored with the batch.</param>
    public void Flush(IActorRef self, long epoch, long appliedSeq)
    {
        if (_writing)
        {
            return;
        }

        if (_batch.IsEmpty)
        {
            SendAll(_replies, self);
            _replies = [];
            return;
        }

        var batch = _batch;
        var replies = _replies;
        batch.Epoch = epoch;
        batch.AppliedSeq = appliedSeq;
        _batch = new StorageBatch();
        _replies = [];
        _writing = true;
        Task.Run(() =>
        {
            _storage.Write(batch);

            // From here, not from the actor: a reply then waits for no mailbox hop after its
            // write. Order still holds, as the next batch's replies wait for Written below.
            SendAll(replies, self);
            return Written.Instance;
        }).PipeTo(self, failure: ex => new WriteFailed(ex.GetBaseException()));
    }

    /// <summary>Starts the next batch once a write has finished (its replies have gone): call on <see cref="Written"/>.</summary>
    /// <param name="self">The owning actor.</param>
    /// <param name="epoch">The state's epoch now.</param>
    /// <param name="appliedSeq">The state's applied <c>seq</c> now.</param>
    public void OnWritten(IActorRef self, long epoch, long appliedSeq)
    {
        _writing = false;
        Flush(self, epoch, appliedSeq);
    }

    // The store as the sender, as a Tell from inside it would have: a follower's acknowledgement
    // is attributed to the follower by its sender.
    private static void SendAll(List<(IActorRef To, object Message)> replies, IActorRef self)
    {
        foreach (var (to, message) in replies)
        {
            to.Tell(message, self);
        }
    }

    /// <summary>A batch is on disk and its replies have gone; the next may be written.</summary>
    public sealed record Written
    {
        /// <summary>The one instance: the message carries no data.</summary>
        public static readonly Written Instance = new();

        private Written()
        {
        }
    }

    /// <summary>
    /// A batch could not be written (disk full, I/O error): the node's memory is now ahead of its
    /// disk, and its replies must never go.
    /// </summary>
    /// <param name="Error">What failed.</param>
    public sealed record WriteFailed(Exception Error);
}

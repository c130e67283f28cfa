using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.CatchUp;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Storage;
using KvActors.Store;

namespace KvHost.Hosting;

/// <summary>
/// The actors of one node and what the endpoints read beside them: a store on every node (registered
/// as <see cref="StoreActor"/>), with its disk on a durable node (<c>DATA_DIR</c>); on the leader a write coordinator (registered as
/// <see cref="WriteCoordinator"/>) and a remote reference to each follower's store; on a follower
/// its catch-up loop.
/// </summary>
/// <remarks>
/// Built by DI before the actor system starts; <see cref="Start"/> runs inside Akka.Hosting's
/// <c>WithActors</c>, and <see cref="NodeLifecycle"/> runs recovery and catch-up once it has.
/// </remarks>
public sealed class NodeActors : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly bool _recoversFirst;
    private readonly StoredNodeOnDisk? _disk;

    /// <summary>
    /// Creates the node's parts from its settings, and opens and reads a durable node's disk; no
    /// actor runs until <see cref="Start"/>.
    /// </summary>
    /// <param name="settings">The node's settings.</param>
    /// <param name="http">The one pooled client for catch-up and snapshots; its default headers carry the token.</param>
    /// <param name="time">The clock for delays, timeouts and backoff.</param>
    /// <param name="loggers">Logger factory.</param>
    /// <exception cref="StorageException">
    /// <c>DATA_DIR</c> cannot be created or opened, or its file is of an unknown format, or damaged
    /// (<see cref="StorageCorruptException"/>): one line that names <c>DATA_DIR</c> and says what to do.
    /// </exception>
    public NodeActors(NodeSettings settings, HttpClient http, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggers);
        Settings = settings;
        _http = http;
        _time = time;
        _loggers = loggers;
        if (settings.Storage is { } storage)
        {
            _disk = Open(storage, settings.Role is LeaderSettings leader ? leader.ReplicationLogEntries : 0, loggers.CreateLogger<NodeStorage>());
        }

        // Only a leader starts unready: it must first recover the cluster's data (NodeLifecycle).
        _recoversFirst = settings.Role is LeaderSettings;
    }

    /// <summary>The node's settings.</summary>
    public NodeSettings Settings { get; }

    /// <summary>What the store publishes for reads.</summary>
    public StoreView View { get; } = new();

    /// <summary>Leader: what the write coordinator publishes every second for the metrics; never published on a follower.</summary>
    public LeaderStatusView LeaderStatus { get; } = new();

    /// <summary>The leader's remote references to its followers' stores, in <c>FOLLOWERS</c> order; empty on a follower.</summary>
    public IReadOnlyList<FollowerRef> Followers { get; private set; } = [];

    /// <summary>What a durable node's disk held at start; null on an in-memory node.</summary>
    public StoredNode? StoredAtStart => _disk?.Stored;

    /// <summary>A follower's catch-up loop, once started; null on the leader.</summary>
    public CatchUpLoop? CatchUp { get; private set; }

    /// <summary>
    /// False on a leader until it has recovered the cluster's data and started its epoch: until then
    /// it answers client requests 503 and its healthcheck fails. Always true on a follower.
    /// </summary>
    public bool IsReady => !_recoversFirst || View.Current.Epoch != 0;

    /// <summary>Starts the node's actors and registers them for <see cref="IRequiredActor{TKey}"/>.</summary>
    /// <param name="system">The node's actor system.</param>
    /// <param name="registry">Akka.Hosting's registry.</param>
    public void Start(ActorSystem system, IActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(registry);
        switch (Settings.Role)
        {
            case LeaderSettings leader:
                StartLeader(system, registry, leader);
                break;
            case FollowerSettings follower:
                StartFollower(system, registry, follower);
                break;
        }
    }

    private void StartFollower(ActorSystem system, IActorRegistry registry, FollowerSettings follower)
    {
        var identity = new FollowerIdentity(Settings.NodeId, follower.AdvertisedUrl);
        var store = system.ActorOf(StoreActor.ForFollower(View, identity, Settings.AckMode, _loggers.CreateLogger<StoreActor>(), _disk), "store");
        registry.Register<StoreActor>(store);
        CatchUp = new CatchUpLoop(store, View, Settings.NodeId, follower.LeaderUrl, _http, _time, follower.CatchUpAfter, _loggers.CreateLogger<CatchUpLoop>());
    }

    private void StartLeader(ActorSystem system, IActorRegistry registry, LeaderSettings leader)
    {
        var store = system.ActorOf(StoreActor.ForLeader(View, new ReplicationLog(leader.ReplicationLogEntries), _disk?.Storage), "store");
        registry.Register<StoreActor>(store);

        // References made from the paths alone, without a round trip: a follower that is down now is
        // reached once it is up, and Akka.Remote connects (over TLS) on the first message.
        var provider = ((ExtendedActorSystem)system).Provider;
        Followers = [.. leader.Followers.Select(f => new FollowerRef(f.Node, provider.ResolveActorRef(f.Path)))];
        registry.Register<WriteCoordinator>(system.ActorOf(WriteCoordinator.Props(store, Followers, leader.Replication, _time, Random.Shared, leader.Idempotency, LeaderStatus), "write-coordinator"));
    }

    /// <summary>Closes the disk once the actor system has stopped (a last fsync under <c>FSYNC=everysec</c>).</summary>
    public void Dispose() => _disk?.Storage.Dispose();

    private static StoredNodeOnDisk Open(StorageSettings settings, long retainedEntries, ILogger logger)
    {
        var storage = NodeStorage.Open(settings.DataDirectory, settings.Fsync, retainedEntries, logger);
        try
        {
            return new StoredNodeOnDisk(storage, storage.Load());
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }
}

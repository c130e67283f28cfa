using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Store;
using KvHost.Api;

namespace KvHost.Hosting;

/// <summary>
/// The actors of one node and what the endpoints read beside them: a store on every node (registered
/// as <see cref="StoreActor"/>); on the leader a write coordinator (registered as
/// <see cref="WriteCoordinator"/>) and a remote reference to each follower's store; on a follower
/// its catch-up loop.
/// </summary>
/// <remarks>
/// Built by DI before the actor system starts; <see cref="Start"/> runs inside Akka.Hosting's
/// <c>WithActors</c>, and <see cref="NodeLifecycle"/> runs recovery and catch-up once it has.
/// </remarks>
public sealed class NodeActors
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the node's parts from its settings; no actor runs until <see cref="Start"/>.</summary>
    /// <param name="settings">The node's settings.</param>
    /// <param name="http">The one pooled client for catch-up and snapshots; its default headers carry the token.</param>
    /// <param name="time">The clock for delays, timeouts and backoff.</param>
    /// <param name="loggers">Logger factory.</param>
    public NodeActors(NodeSettings settings, HttpClient http, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _http = http;
        _time = time;
        _loggers = loggers;
        Admission = new WriteAdmission(settings.MaxWritesInFlight);
    }

    /// <summary>The node's settings.</summary>
    public NodeSettings Settings { get; }

    /// <summary>The leader's cap on writes in flight (<c>MAX_WRITES_IN_FLIGHT</c>).</summary>
    public WriteAdmission Admission { get; }

    /// <summary>What the store publishes for reads.</summary>
    public StoreView View { get; } = new();

    /// <summary>The leader's remote references to its followers' stores, in <c>FOLLOWERS</c> order; empty on a follower.</summary>
    public IReadOnlyList<FollowerRef> Followers { get; private set; } = [];

    /// <summary>A follower's catch-up loop, once started; null on the leader.</summary>
    public CatchUpLoop? CatchUp { get; private set; }

    /// <summary>
    /// False on a leader until it has recovered the cluster's data and started its epoch: until then
    /// it answers client requests 503 and its healthcheck fails. Always true on a follower.
    /// </summary>
    public bool IsReady => Settings.Role == NodeRole.Follower || View.Current.Epoch != 0;

    /// <summary>Starts the node's actors and registers them for <see cref="IRequiredActor{TKey}"/>.</summary>
    /// <param name="system">The node's actor system.</param>
    /// <param name="registry">Akka.Hosting's registry.</param>
    public void Start(ActorSystem system, IActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(registry);
        if (Settings.Role == NodeRole.Follower)
        {
            var identity = new FollowerIdentity(Settings.NodeId, Settings.AdvertisedUrl);
            var store = system.ActorOf(StoreActor.ForFollower(View, identity, Settings.AckMode, _loggers.CreateLogger<StoreActor>()), "store");
            registry.Register<StoreActor>(store);
            CatchUp = new CatchUpLoop(store, View, Settings.NodeId, Settings.LeaderUrl!, _http, _time, Settings.CatchUpAfter, _loggers.CreateLogger<CatchUpLoop>());
            return;
        }

        var leaderStore = system.ActorOf(StoreActor.ForLeader(View, new ReplicationLog(Settings.ReplicationLogEntries)), "store");
        registry.Register<StoreActor>(leaderStore);

        // References made from the paths alone, without a round trip: a follower that is down now is
        // reached once it is up, and Akka.Remote connects (over TLS) on the first message.
        var provider = ((ExtendedActorSystem)system).Provider;
        Followers = [.. Settings.Followers.Select(f => new FollowerRef(f.Node, provider.ResolveActorRef(f.Path)))];
        registry.Register<WriteCoordinator>(system.ActorOf(WriteCoordinator.Props(leaderStore, Followers, Settings.Replication, _time, Random.Shared), "write-coordinator"));
    }
}

using System.Net;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote.Hosting;
using KvActors.Replication.CatchUp;
using KvHost.Api;
using KvHost.Metrics;

namespace KvHost.Hosting;

/// <summary>Builds a node's web application: the one wiring used by <c>Program</c> and by the in-process cluster tests.</summary>
public static class KvNode
{
    /// <summary>Builds, but does not start, a node.</summary>
    /// <param name="settings">The node's settings.</param>
    /// <param name="bindAddress">Where to listen: any address in a container, loopback in tests.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> unless a spec fakes it.</param>
    /// <param name="environmentName">
    /// <c>Development</c> or <c>Production</c> to override <c>ASPNETCORE_ENVIRONMENT</c> (specs check that
    /// bad input is a 4xx in both); null reads it from the environment as usual.
    /// </param>
    /// <returns>The application; <c>RunAsync</c> or <c>StartAsync</c> it.</returns>
    /// <exception cref="KvActors.Storage.StorageException">A durable node's <c>DATA_DIR</c> cannot be opened, or its data file is damaged or of an unknown format.</exception>
    public static WebApplication Build(NodeSettings settings, IPAddress? bindAddress = null, TimeProvider? time = null, string? environmentName = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environmentName });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(bindAddress ?? IPAddress.Any, settings.Port);

            // Our reader caps bodies and answers a 413 problem document; Kestrel's limit, one read
            // buffer past ours, is a backstop that the reader translates the same way.
            kestrel.Limits.MaxRequestBodySize = (long)settings.MaxValueBytes + JsonBodyReader.EnvelopeBytes + JsonBodyReader.ReadBufferBytes;
        });
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });

        // One line per request would drown the replication log lines on a loaded node.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = Outcomes.CompleteFrameworkProblem);

        // In Development, minimal APIs throw on a request they cannot bind, which the developer
        // exception page turns into a 500; a malformed request is the client's error in every environment.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        builder.Services.AddSingleton(settings);

        // The role's own settings under their own type (LeaderSettings or FollowerSettings): an
        // endpoint mapped for one role asks for that role's settings, and no other role has them.
        builder.Services.AddSingleton(settings.Role.GetType(), settings.Role);
        builder.Services.AddSingleton(provider => new WriteAdmission(provider.GetRequiredService<LeaderSettings>().MaxWritesInFlight));
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            // One pooled client for all followers; recycle connections so DNS changes (a follower
            // container restarted with a new address) are picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            MaxConnectionsPerServer = 64,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,

            // Every request this client sends is replication (pushes, catch-up, recovery): all carry the token.
            DefaultRequestHeaders = { Authorization = new("Bearer", settings.ReplicationToken) },
        });
        builder.Services.AddSingleton<NodeActors>();
        builder.Services.AddAkka(NodeSettings.ActorSystemName, (akka, services) => akka
            .AddHocon(AkkaConfigFor(settings.Role), HoconAddMode.Prepend)
            .WithRemoting(new RemoteOptions
            {
                HostName = (bindAddress ?? IPAddress.Any).ToString(),
                PublicHostName = settings.AkkaHostname,
                Port = settings.AkkaPort,

                // A replicate message carries a whole value: room for MAX_VALUE_BYTES of JSON, twice
                // over for re-escaped strings, plus the entry around it.
                MaxFrameSize = Math.Max(4L << 20, (2L * settings.MaxValueBytes) + (64 << 10)),
                EnableSsl = true,
                Ssl = new SslOptions
                {
                    X509Certificate = settings.ClusterCertificate,
                    SuppressValidation = false,
                    RequireMutualAuthentication = true,

                    // One certificate for the whole cluster: the peer proves it holds it, whatever its host name.
                    ValidateCertificateHostname = false,
                    CustomValidator = ClusterTrust.Validator(settings.ClusterCertificate),
                },
            })
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithActors((system, registry) => services.GetRequiredService<NodeActors>().Start(system, registry)));

        // After AddAkka: hosted services start in order and stop in reverse, so recovery and catch-up
        // run only while the actor system does.
        builder.Services.AddHostedService<NodeLifecycle>();
        builder.AddKvMetrics(settings.NodeId);
        builder.Services.AddApiDocs();

        var app = builder.Build();

        // Now rather than at start: a durable node reads its disk here, so that a damaged file or a
        // bad DATA_DIR stops it with one line (Program) before anything listens.
        _ = app.Services.GetRequiredService<NodeActors>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapKvApi(settings);
        app.MapNodeApi(settings);
        MapReplication(app, settings);
        app.MapKvMetrics();
        app.MapApiDocs();
        return app;
    }

    // The replication protocol's server (KvActors.Replication.CatchUp), as this node's role serves it.
    private static void MapReplication(WebApplication app, NodeSettings settings)
    {
        var node = app.Services.GetRequiredService<NodeActors>();
        var replication = app.MapReplicationGroup(settings.ReplicationToken);

        // After the token check: a leader still recovering has no backlog or state of the cluster yet.
        replication.AddEndpointFilter(async (context, next) => node.IsReady ? await next(context) : Outcomes.Recovering(settings));
        switch (settings.Role)
        {
            case LeaderSettings:
                replication.MapEntriesEndpoint().DescribeEntries();
                break;
            case FollowerSettings follower:
                // A follower has no backlog to serve; the same route tells the asker where the leader is.
                replication.MapGet("/entries", () => Outcomes.NotLeader(settings.NodeId, follower)).DescribeFollowerEntries();
                break;
        }

        replication.MapSnapshotEndpoint(settings.NodeId, node.View).DescribeSnapshot();
    }

    /// <summary>
    /// <c>akka.hocon</c> from the repository root, embedded so that a container and a spec load the
    /// same file: supervision, serialization, remoting defaults. Settings from the environment go on top.
    /// </summary>
    public static Config AkkaConfig => AkkaHocon.Value;

    // A follower's kvstore.follower section of akka.hocon goes over the rest.
    private static Config AkkaConfigFor(RoleSettings role) =>
        role is FollowerSettings ? AkkaConfig.GetConfig("kvstore.follower").WithFallback(AkkaConfig) : AkkaConfig;

    private static readonly Lazy<Config> AkkaHocon = new(() =>
    {
        using var stream = typeof(KvNode).Assembly.GetManifestResourceStream("akka.hocon")
            ?? throw new InvalidOperationException("akka.hocon is not embedded in KvHost");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });
}

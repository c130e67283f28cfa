using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvActors.Storage;

namespace KvHost.Hosting;

/// <summary>
/// A node's configuration, read once at start from environment variables only (the compose file is
/// the one place a cluster is configured). Names, meanings and defaults are the contract's table
/// (<c>../shared/API.md</c>). What every node has is here; what only a leader or only a follower has
/// is in <see cref="Role"/>.
/// </summary>
/// <param name="Role">
/// <c>ROLE</c>: a <see cref="LeaderSettings"/> or a <see cref="FollowerSettings"/>, with that role's own
/// settings. Required.
/// </param>
/// <param name="NodeId"><c>NODE_ID</c>: this node's name; default the host name.</param>
/// <param name="Port"><c>PORT</c>: HTTP port; default 8080.</param>
/// <param name="AckMode">
/// <c>ACK_MODE</c>: received or applied; default received. A follower acknowledges by it; the leader
/// reports it in <c>/status</c>, so the leader's answer says which mode the cluster runs in.
/// </param>
/// <param name="MaxValueBytes"><c>MAX_VALUE_BYTES</c>: largest accepted value as JSON text in bytes; default 1048576.</param>
/// <param name="ReplicationToken">
/// <c>REPLICATION_TOKEN</c>: the shared secret every replication request carries as a bearer token,
/// at least <see cref="MinTokenLength"/> characters. Required on every node: without it anyone who
/// reaches a follower's port could rewrite its data.
/// </param>
/// <param name="AkkaHostname">
/// <c>AKKA_HOSTNAME</c>: the host name other nodes reach this node's actor system by, the host in its
/// remote actor paths and in its HTTP URL as a follower announces it; default <c>NODE_ID</c>.
/// </param>
/// <param name="AkkaPort"><c>AKKA_PORT</c>: the port of this node's actor system (Akka.Remote over TLS); default 4053.</param>
/// <param name="ClusterCertificate">
/// <c>CLUSTER_CERTIFICATE</c> (a PKCS#12 file with its private key) and <c>CLUSTER_CERTIFICATE_PASSWORD</c>:
/// the cluster's one certificate, which every node presents and requires of every peer (mutual TLS),
/// so that only the cluster's nodes may replicate. A peer is trusted only if its certificate chains to
/// this one, taken as the sole root (<see cref="ClusterTrust"/>), whatever the machine's own roots
/// trust. Required.
/// </param>
public sealed record NodeSettings(
    RoleSettings Role,
    string NodeId,
    int Port,
    AckMode AckMode,
    int MaxValueBytes,
    string ReplicationToken,
    string AkkaHostname,
    int AkkaPort,
    X509Certificate2 ClusterCertificate)
{
    /// <summary>The actor system's name, the same on every node: the <c>kv</c> of <c>akka.ssl.tcp://kv@host:port</c>.</summary>
    public const string ActorSystemName = "kv";

    /// <summary>Where a follower's store lives in its actor system: the path every <c>FOLLOWERS</c> entry names.</summary>
    public const string StorePath = "/user/store";

    /// <summary><c>DATA_DIR</c> and <c>FSYNC</c>: this node's disk, or null when it keeps its data in memory only.</summary>
    public StorageSettings? Storage { get; init; }

    /// <summary>The shortest accepted <c>REPLICATION_TOKEN</c>, in characters: long enough not to be guessed by trying.</summary>
    public const int MinTokenLength = 16;

    /// <summary>The largest <c>REPLICATION_LOG_ENTRIES</c>: 10 million entries, a bound on the leader's memory.</summary>
    public const int MaxReplicationLogEntries = 10_000_000;

    /// <summary>The most a delay may be: 10 minutes in ms, far past any useful simulated lag.</summary>
    public const int MaxDelayLimitMs = 600_000;

    /// <summary>The longest <c>IDEMPOTENCY_WINDOW_MS</c>: 7 days in ms; a client retrying later has given up long before.</summary>
    public const int MaxIdempotencyWindowMs = 7 * 24 * 3600 * 1000;

    /// <summary>The largest <c>IDEMPOTENCY_KEYS</c>: 1 million, at most about 1 GB of the leader's memory.</summary>
    public const int MaxIdempotencyKeys = 1_000_000;

    /// <summary>The largest <c>MAX_VALUE_BYTES</c>: 64 MiB, since a whole value is held in memory per request.</summary>
    public const int MaxValueBytesLimit = 64 * 1024 * 1024;

    /// <summary>Reads and checks every setting.</summary>
    /// <param name="environment">The variables, e.g. from <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="InvalidSettingException">The first bad or missing setting, with a one-line message naming it.</exception>
    public static NodeSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var isLeader = Get("ROLE")?.ToUpperInvariant() switch
        {
            "LEADER" => true,
            "FOLLOWER" => false,
            _ => throw new InvalidSettingException("ROLE", Get("ROLE"), "'leader' or 'follower'"),
        };

        // Every variable is checked on every node, in the same order, so one environment file is
        // refused alike by every node it starts; only FOLLOWERS, WRITE_QUORUM and REPLICATION_LOG_ENTRIES
        // (leader) and CATCH_UP_AFTER_MS (follower) are read by their own role alone. Each role then
        // keeps only the values it uses.
        var followers = isLeader ? ParseFollowers(Get("FOLLOWERS")) : [];
        var minDelay = Integer(Get("MIN_DELAY_MS"), "MIN_DELAY_MS", 0, 0, MaxDelayLimitMs);
        var maxDelay = Integer(Get("MAX_DELAY_MS"), "MAX_DELAY_MS", 1000, 0, MaxDelayLimitMs);
        if (minDelay > maxDelay)
        {
            throw new InvalidSettingException("MIN_DELAY_MS", minDelay.ToString(CultureInfo.InvariantCulture), $"at most MAX_DELAY_MS ({maxDelay})");
        }

        var nodeId = Get("NODE_ID") ?? Environment.MachineName;
        var port = Integer(Get("PORT"), "PORT", 8080, 0, 65535);
        var writeQuorum = isLeader ? Integer(Get("WRITE_QUORUM"), "WRITE_QUORUM", followers.Count, 0, followers.Count, " (the number of FOLLOWERS)") : 0;
        var replicationTimeout = Integer(Get("REPLICATION_TIMEOUT_MS"), "REPLICATION_TIMEOUT_MS", 5000, 1, 3_600_000);
        var ackMode = Get("ACK_MODE")?.ToUpperInvariant() switch
        {
            null or "RECEIVED" => AckMode.Received,
            "APPLIED" => AckMode.Applied,
            _ => throw new InvalidSettingException("ACK_MODE", Get("ACK_MODE"), "'received' or 'applied'"),
        };
        var leaderUrl = Get("LEADER_URL") is { } leader ? HttpUrl(leader, "LEADER_URL")
            : isLeader ? null
            : throw new InvalidSettingException("LEADER_URL", null, "the leader's base URL on a follower, which catches up from it");
        var maxValueBytes = Integer(Get("MAX_VALUE_BYTES"), "MAX_VALUE_BYTES", 1_048_576, 1, MaxValueBytesLimit);
        var token = Token(Get("REPLICATION_TOKEN"));
        var replicationLogEntries = isLeader ? Integer(Get("REPLICATION_LOG_ENTRIES"), "REPLICATION_LOG_ENTRIES", 100_000, 1, MaxReplicationLogEntries) : 0;
        var catchUpAfter = isLeader ? 0 : Integer(Get("CATCH_UP_AFTER_MS"), "CATCH_UP_AFTER_MS", 2000, 1, MaxDelayLimitMs);
        var akkaHostname = Get("AKKA_HOSTNAME") ?? Get("NODE_ID") ?? Environment.MachineName;
        var akkaPort = Integer(Get("AKKA_PORT"), "AKKA_PORT", 4053, 1, 65535);
        var certificate = Certificate(Get("CLUSTER_CERTIFICATE"), environment.TryGetValue("CLUSTER_CERTIFICATE_PASSWORD", out var password) ? password : null);
        var maxWritesInFlight = Integer(Get("MAX_WRITES_IN_FLIGHT"), "MAX_WRITES_IN_FLIGHT", 4096, 1, 1_000_000);
        var idempotencyWindow = Integer(Get("IDEMPOTENCY_WINDOW_MS"), "IDEMPOTENCY_WINDOW_MS", (int)IdempotencySettings.Default.Window.TotalMilliseconds, 1, MaxIdempotencyWindowMs);
        var idempotencyKeys = Integer(Get("IDEMPOTENCY_KEYS"), "IDEMPOTENCY_KEYS", IdempotencySettings.Default.MaxKeys, 1, MaxIdempotencyKeys);
        var storage = ParseStorage(Get("DATA_DIR"), Get("FSYNC"));

        RoleSettings role = isLeader
            ? new LeaderSettings(
                followers,
                writeQuorum,
                TimeSpan.FromMilliseconds(minDelay),
                TimeSpan.FromMilliseconds(maxDelay),
                TimeSpan.FromMilliseconds(replicationTimeout),
                replicationLogEntries,
                maxWritesInFlight)
            {
                Idempotency = new IdempotencySettings(TimeSpan.FromMilliseconds(idempotencyWindow), idempotencyKeys),
            }
            : new FollowerSettings(leaderUrl!, TimeSpan.FromMilliseconds(catchUpAfter), new UriBuilder(Uri.UriSchemeHttp, akkaHostname, port).Uri);
        return new NodeSettings(role, nodeId, port, ackMode, maxValueBytes, token, akkaHostname, akkaPort, certificate) { Storage = storage };
    }

    private static StorageSettings? ParseStorage(string? dataDirectory, string? fsync)
    {
        var policy = fsync?.ToUpperInvariant() switch
        {
            null or "EVERYSEC" => FsyncPolicy.EverySec,
            "ALWAYS" => FsyncPolicy.Always,
            "NO" => FsyncPolicy.No,
            _ => throw new InvalidSettingException("FSYNC", fsync, "'always', 'everysec' or 'no'"),
        };
        if (dataDirectory is null)
        {
            // FSYNC alone would look durable and keep nothing.
            return fsync is null ? null : throw new InvalidSettingException("DATA_DIR", null, "an absolute directory path when FSYNC is set (without DATA_DIR a node keeps its data in memory only)");
        }

        return Path.IsPathFullyQualified(dataDirectory)
            ? new StorageSettings(dataDirectory, policy)
            : throw new InvalidSettingException("DATA_DIR", dataDirectory, "an absolute directory path, one per node");
    }

    private static X509Certificate2 Certificate(string? path, string? password)
    {
        const string Expected = "a PKCS#12 (.pfx) file holding the cluster's certificate and its private key (make up creates docker/certs/cluster.pfx)";
        if (path is null)
        {
            throw new InvalidSettingException("CLUSTER_CERTIFICATE", null, Expected);
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.Exportable);
            return certificate.HasPrivateKey ? certificate : throw new InvalidSettingException("CLUSTER_CERTIFICATE", path, Expected + "; this one has no private key");
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidSettingException("CLUSTER_CERTIFICATE", path, $"{Expected} ({ex.Message.TrimEnd('.')})");
        }
    }

    private static string Token(string? value) =>
        value is { Length: >= MinTokenLength } && value.All(c => c is > ' ' and < (char)127)
            ? value
            // The value itself is a secret: the message must not echo it.
            : throw new InvalidSettingException("REPLICATION_TOKEN", value is null ? null : "(hidden)", $"a shared secret of at least {MinTokenLength} printable ASCII characters, the same on every node");

    private static int Integer(string? value, string name, int fallback, int min, int max, string why = "")
    {
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new InvalidSettingException(name, value, $"an integer from {min} to {max}{why}");
    }

    private static List<FollowerEndpoint> ParseFollowers(string? value)
    {
        const string Expected = "a comma-separated list of distinct remote actor paths of the followers' stores, akka.ssl.tcp://kv@HOST:PORT/user/store";
        if (value is null)
        {
            throw new InvalidSettingException("FOLLOWERS", null, Expected + " on the leader");
        }

        var paths = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => ActorPath.TryParse(p, out var path)
                && path.Address is { Protocol: "akka.ssl.tcp", System: ActorSystemName, Host: not null, Port: not null }
                && path.ToStringWithoutAddress() == StorePath
                    ? path
                    : throw new InvalidSettingException("FOLLOWERS", value, $"{Expected} ('{p}' is not one)"))
            .ToList();
        if (paths.Count == 0 || paths.Distinct().Count() != paths.Count)
        {
            throw new InvalidSettingException("FOLLOWERS", value, Expected);
        }

        // Name a follower by its host, unless hosts repeat (six processes on 127.0.0.1): then host:port.
        var hostsRepeat = paths.Select(p => p.Address.Host).Distinct(StringComparer.OrdinalIgnoreCase).Count() != paths.Count;
        return [.. paths.Select(p => new FollowerEndpoint(hostsRepeat ? $"{p.Address.Host}:{p.Address.Port}" : p.Address.Host!, p))];
    }

    private static Uri HttpUrl(string value, string name) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidSettingException(name, value, "an absolute http:// or https:// URL");
}

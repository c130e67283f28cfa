using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Compose;

/// <summary>
/// The real cluster: six containers started by docker-compose through <c>scripts/cluster.sh</c>, the
/// same way <c>make up</c> does, with W=3 and a short simulated lag so the suite stays quick. It needs
/// the image (<c>make test</c> builds it first); without Docker it fails, it never skips.
/// </summary>
public sealed class ComposeClusterFixture : IAsyncLifetime
{
    public const int WriteQuorum = 3;
    public const int MaxDelayMs = 300;
    public const int ReplicationTimeoutMs = 2000;
    public const int MaxValueBytes = 1_048_576;

    /// <summary>The compose file's default <c>REPLICATION_TOKEN</c>, which the suite leaves in place.</summary>
    public const string ReplicationToken = "kvstore-dev-replication-token";

    public static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Uri Leader { get; } = Node(0);

    public static IReadOnlyList<Uri> Followers { get; } = [.. Enumerable.Range(1, 5).Select(Node)];

    /// <summary>Node 0 is the leader on port 8000; follower N is on 8000+N.</summary>
    public static Uri Node(int index) => new($"http://127.0.0.1:{8000 + index}");

    public Task InitializeAsync() => RestartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await ClusterAsync("down");
    }

    /// <summary>Recreates all six containers: empty stores, a new leader epoch. For specs that break the cluster.</summary>
    public Task RestartAsync() => ClusterAsync("start");

    /// <summary>Runs a compose command on the cluster's project, e.g. <c>stop follower3</c>.</summary>
    public Task ComposeAsync(params string[] args) => ClusterAsync(["compose", .. args]);

    public async Task<JsonElement> GetJsonAsync(Uri node, string path) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri(node, path));

    /// <summary>Waits until every follower's <c>GET /kv</c> equals the leader's.</summary>
    public Task AssertConvergedAsync() => ClusterAssertions.AssertConvergedAsync(Http, Leader, Followers, Convergence);

    private static async Task ClusterAsync(params string[] args)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "cluster.sh"), .. args])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["WRITE_QUORUM"] = WriteQuorum.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["MIN_DELAY_MS"] = "0",
                ["MAX_DELAY_MS"] = MaxDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["REPLICATION_TIMEOUT_MS"] = ReplicationTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ACK_MODE"] = "received",
                ["MAX_VALUE_BYTES"] = MaxValueBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/cluster.sh {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("docker-compose.yml not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class ComposeCollection : ICollectionFixture<ComposeClusterFixture>
{
    public const string Name = "Compose cluster";
}

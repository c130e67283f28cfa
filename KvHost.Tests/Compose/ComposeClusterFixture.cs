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
/// <remarks>
/// A spec that needs other settings asks for them with <see cref="UseAsync"/>; the containers are
/// recreated (about 20 s) only when the settings differ from the running ones or a spec reported
/// the cluster broken, so specs that share settings share one start.
/// </remarks>
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

    /// <summary>The settings the running containers were created with.</summary>
    public ClusterSettings Running { get; private set; } = ClusterSettings.Standard;

    // True until the first start, and after a spec reports that it may have left the cluster broken.
    private bool _broken = true;

    public Task InitializeAsync() => UseAsync(ClusterSettings.Standard);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await ClusterAsync(Running, "wipe");
    }

    /// <summary>Makes sure the cluster runs with <paramref name="settings"/>, recreating it only if it does not, or is broken.</summary>
    public async Task UseAsync(ClusterSettings settings)
    {
        if (!_broken && settings == Running)
        {
            return;
        }

        await StartAsync(settings);
    }

    /// <summary>Says the cluster may not be whole (a node left empty or behind), so the next <see cref="UseAsync"/> recreates it.</summary>
    public void MarkBroken() => _broken = true;

    /// <summary>Recreates all six containers with empty data volumes: empty stores, a new leader epoch. For specs that break the cluster.</summary>
    public Task RestartAsync() => StartAsync(Running);

    /// <summary>
    /// <c>scripts/cluster.sh down</c> then <c>start</c>, what <c>make down</c> and <c>make up</c> do: new
    /// containers on the same data volumes.
    /// </summary>
    public async Task DownAndUpAsync()
    {
        _broken = true;
        await ClusterAsync(Running, "down");
        await ClusterAsync(Running, "start");
        _broken = false;
    }

    /// <summary>Runs a compose command on the cluster's project, e.g. <c>stop follower3</c>.</summary>
    public Task ComposeAsync(params string[] args) => ClusterAsync(Running, ["compose", .. args]);

    private async Task StartAsync(ClusterSettings settings)
    {
        _broken = true;
        Running = settings;

        // Every start is a fresh cluster: the data volumes of earlier runs go first.
        await ClusterAsync(settings, "wipe");
        await ClusterAsync(settings, "start");
        _broken = false;
    }

    public async Task<JsonElement> GetJsonAsync(Uri node, string path) =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri(node, path));

    /// <summary>Waits until every follower's <c>GET /kv</c> equals the leader's.</summary>
    public Task AssertConvergedAsync() => ClusterAssertions.AssertConvergedAsync(Http, Leader, Followers, Convergence);

    private static async Task ClusterAsync(ClusterSettings settings, params string[] args)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "cluster.sh"), .. args])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/cluster.sh {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>The checkout this test run builds from: the directory holding docker-compose.yml.</summary>
    public static string RepositoryRoot()
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

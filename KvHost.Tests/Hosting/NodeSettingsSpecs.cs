using System.Diagnostics;
using KvActors.Replication.Follower;
using KvActors.Storage;
using KvHost.Hosting;
using KvHost.Tests.TestKit;

namespace KvHost.Tests.Hosting;

public sealed class NodeSettingsSpecs
{
    private static readonly Dictionary<string, string?> Leader = new()
    {
        ["ROLE"] = "leader",
        ["FOLLOWERS"] = "akka.ssl.tcp://kv@follower1:4053/user/store,akka.ssl.tcp://kv@follower2:4053/user/store,akka.ssl.tcp://kv@follower3:4053/user/store",
        ["REPLICATION_TOKEN"] = "a-token-of-sixteen-or-more",
        ["CLUSTER_CERTIFICATE"] = TestCertificates.Cluster,
    };

    [Fact]
    public void Defaults_follow_the_contract()
    {
        var settings = NodeSettings.FromEnvironment(Leader);
        var leader = settings.Role.Should().BeOfType<LeaderSettings>().Subject;

        leader.WriteQuorum.Should().Be(3, "W defaults to the number of followers");
        settings.Port.Should().Be(8080);
        leader.MinDelay.Should().Be(TimeSpan.Zero);
        leader.MaxDelay.Should().Be(TimeSpan.FromMilliseconds(1000));
        leader.ReplicationTimeout.Should().Be(TimeSpan.FromMilliseconds(5000));
        settings.AckMode.Should().Be(AckMode.Received);
        settings.MaxValueBytes.Should().Be(1_048_576);
        leader.Followers.Select(f => f.Node).Should().Equal("follower1", "follower2", "follower3");
        leader.Followers[0].Path.ToString().Should().Be("akka.ssl.tcp://kv@follower1:4053/user/store");
        leader.ReplicationLogEntries.Should().Be(100_000);
        leader.MaxWritesInFlight.Should().Be(4096);
        leader.Idempotency.Should().Be(new KvActors.Replication.Leader.IdempotencySettings(TimeSpan.FromHours(24), 100_000));
        settings.AkkaPort.Should().Be(4053);
        settings.ClusterCertificate.HasPrivateKey.Should().BeTrue();
        settings.Storage.Should().BeNull("without DATA_DIR a node keeps its data in memory only");
    }

    [Theory]
    [InlineData(null, FsyncPolicy.EverySec)]
    [InlineData("always", FsyncPolicy.Always)]
    [InlineData("EverySec", FsyncPolicy.EverySec)]
    [InlineData("no", FsyncPolicy.No)]
    public void DATA_DIR_makes_a_durable_node_and_FSYNC_says_when_it_syncs(string? fsync, FsyncPolicy expected)
    {
        var settings = NodeSettings.FromEnvironment(new Dictionary<string, string?>(Leader) { ["DATA_DIR"] = "/data", ["FSYNC"] = fsync });

        settings.Storage.Should().Be(new StorageSettings("/data", expected));
    }

    [Fact]
    public void Followers_on_one_host_are_named_by_host_and_port_and_a_follower_announces_its_own_url()
    {
        var leader = NodeSettings.FromEnvironment(new Dictionary<string, string?>(Leader)
        {
            ["FOLLOWERS"] = "akka.ssl.tcp://kv@127.0.0.1:9201/user/store,akka.ssl.tcp://kv@127.0.0.1:9202/user/store",
        });
        var follower = NodeSettings.FromEnvironment(new Dictionary<string, string?>(Leader)
        {
            ["ROLE"] = "follower", ["LEADER_URL"] = "http://leader:8080", ["NODE_ID"] = "follower2", ["PORT"] = "8081",
        });

        leader.Role.Should().BeOfType<LeaderSettings>().Which.Followers.Select(f => f.Node).Should().Equal("127.0.0.1:9201", "127.0.0.1:9202");
        follower.Role.Should().BeOfType<FollowerSettings>().Which.AdvertisedUrl.Should().Be(new Uri("http://follower2:8081"), "AKKA_HOSTNAME defaults to NODE_ID");
    }

    [Fact]
    public void A_follower_without_LEADER_URL_is_refused_because_it_could_never_catch_up()
    {
        var read = () => NodeSettings.FromEnvironment(new Dictionary<string, string?> { ["ROLE"] = "follower", ["REPLICATION_TOKEN"] = "a-token-of-sixteen-or-more" });

        read.Should().Throw<InvalidSettingException>().Which.Message.Should().StartWith("LEADER_URL is not set");
    }

    [Fact]
    public void A_follower_ignores_the_leader_only_settings()
    {
        var settings = NodeSettings.FromEnvironment(new Dictionary<string, string?>
        {
            ["ROLE"] = "follower", ["WRITE_QUORUM"] = "3", ["LEADER_URL"] = "http://leader:8080", ["REPLICATION_TOKEN"] = "a-token-of-sixteen-or-more",
            ["CLUSTER_CERTIFICATE"] = TestCertificates.Cluster,
        });

        // WRITE_QUORUM=3 without FOLLOWERS would stop a leader; a follower has no such setting at all.
        var follower = settings.Role.Should().BeOfType<FollowerSettings>().Subject;
        follower.LeaderUrl.Should().Be(new Uri("http://leader:8080"));
        follower.CatchUpAfter.Should().Be(TimeSpan.FromMilliseconds(2000));
    }

    [Theory]
    [InlineData("WRITE_QUORUM", "4", "WRITE_QUORUM=4 is invalid: it must be an integer from 0 to 3 (the number of FOLLOWERS)")]
    [InlineData("WRITE_QUORUM", "-1", "WRITE_QUORUM=-1 is invalid")]
    [InlineData("MIN_DELAY_MS", "2000", "MIN_DELAY_MS=2000 is invalid: it must be at most MAX_DELAY_MS (1000)")]
    [InlineData("MAX_DELAY_MS", "soon", "MAX_DELAY_MS=soon is invalid")]
    [InlineData("ACK_MODE", "eventually", "ACK_MODE=eventually is invalid: it must be 'received' or 'applied'")]
    [InlineData("FOLLOWERS", "follower1:8080", "FOLLOWERS=follower1:8080 is invalid")]
    [InlineData("FOLLOWERS", "http://follower1:8080", "FOLLOWERS=http://follower1:8080 is invalid: it must be a comma-separated list of distinct remote actor paths")]
    [InlineData("FOLLOWERS", "akka.tcp://kv@follower1:4053/user/store", "FOLLOWERS=akka.tcp://kv@follower1:4053/user/store is invalid")]
    [InlineData("FOLLOWERS", "akka.ssl.tcp://kv@follower1:4053/user/other", "FOLLOWERS=akka.ssl.tcp://kv@follower1:4053/user/other is invalid")]
    [InlineData("FOLLOWERS", "akka.ssl.tcp://kv@f:1/user/store,akka.ssl.tcp://kv@f:1/user/store", "FOLLOWERS=akka.ssl.tcp://kv@f:1/user/store,akka.ssl.tcp://kv@f:1/user/store is invalid")]
    [InlineData("AKKA_PORT", "0", "AKKA_PORT=0 is invalid")]
    [InlineData("CLUSTER_CERTIFICATE", null, "CLUSTER_CERTIFICATE is not set: it must be a PKCS#12 (.pfx) file")]
    [InlineData("CLUSTER_CERTIFICATE", "/no/such/cluster.pfx", "CLUSTER_CERTIFICATE=/no/such/cluster.pfx is invalid: it must be a PKCS#12 (.pfx) file")]
    [InlineData("PORT", "70000", "PORT=70000 is invalid")]
    [InlineData("MAX_VALUE_BYTES", "0", "MAX_VALUE_BYTES=0 is invalid")]
    [InlineData("REPLICATION_TIMEOUT_MS", "0", "REPLICATION_TIMEOUT_MS=0 is invalid")]
    [InlineData("REPLICATION_TOKEN", "short", "REPLICATION_TOKEN=(hidden) is invalid: it must be a shared secret of at least 16")]
    [InlineData("REPLICATION_TOKEN", null, "REPLICATION_TOKEN is not set")]
    [InlineData("REPLICATION_LOG_ENTRIES", "0", "REPLICATION_LOG_ENTRIES=0 is invalid")]
    [InlineData("IDEMPOTENCY_WINDOW_MS", "0", "IDEMPOTENCY_WINDOW_MS=0 is invalid: it must be an integer from 1 to 604800000")]
    [InlineData("IDEMPOTENCY_WINDOW_MS", "1d", "IDEMPOTENCY_WINDOW_MS=1d is invalid")]
    [InlineData("IDEMPOTENCY_KEYS", "0", "IDEMPOTENCY_KEYS=0 is invalid: it must be an integer from 1 to 1000000")]
    [InlineData("DATA_DIR", "data", "DATA_DIR=data is invalid: it must be an absolute directory path")]
    [InlineData("FSYNC", "always", "DATA_DIR is not set: it must be an absolute directory path when FSYNC is set")]
    public void A_bad_setting_is_refused_with_a_message_naming_the_variable(string variable, string? value, string message)
    {
        var environment = new Dictionary<string, string?>(Leader) { [variable] = value };

        var read = () => NodeSettings.FromEnvironment(environment);

        read.Should().Throw<InvalidSettingException>().Which.Message.Should().StartWith(message);
    }

    [Fact]
    public async Task The_node_stops_at_start_with_one_line_naming_the_bad_variable()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "KvHost.dll")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["ROLE"] = "leader", ["FOLLOWERS"] = "akka.ssl.tcp://kv@a:1/user/store", ["WRITE_QUORUM"] = "2", ["PORT"] = "0" },
        };
        using var node = Process.Start(start)!;
        var stderr = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        node.ExitCode.Should().Be(2);
        stderr.TrimEnd().Split('\n').Should().ContainSingle()
            .Which.Should().Be("kvstore: WRITE_QUORUM=2 is invalid: it must be an integer from 0 to 1 (the number of FOLLOWERS)");
    }

    [Fact]
    public void A_DATA_DIR_the_node_cannot_create_stops_it_at_start_naming_the_variable()
    {
        // Not even root may make a directory in /proc.
        var settings = NodeSettings.FromEnvironment(new Dictionary<string, string?>(Leader) { ["DATA_DIR"] = "/proc/kvstore-data" });

        var build = () => KvNode.Build(settings, System.Net.IPAddress.Loopback);

        build.Should().Throw<KvActors.Storage.StorageException>().Which.Message.Should().StartWith("DATA_DIR: /proc/kvstore-data/kvstore.db could not be opened");
    }

    [Fact]
    public void An_unknown_FSYNC_is_refused_even_with_DATA_DIR()
    {
        var read = () => NodeSettings.FromEnvironment(new Dictionary<string, string?>(Leader) { ["DATA_DIR"] = "/data", ["FSYNC"] = "sometimes" });

        read.Should().Throw<InvalidSettingException>().Which.Message.Should().Be("FSYNC=sometimes is invalid: it must be 'always', 'everysec' or 'no'");
    }

    [Fact]
    public async Task A_damaged_data_file_stops_the_node_at_start_with_one_line_that_says_what_to_do()
    {
        var dataDir = Directory.CreateTempSubdirectory("kvstore-damaged-").FullName;
        try
        {
            // Not a database at all: what a disk that returned garbage leaves.
            var garbage = new byte[64 * 1024];
            Random.Shared.NextBytes(garbage);
            await File.WriteAllBytesAsync(Path.Combine(dataDir, "kvstore.db"), garbage);
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "KvHost.dll")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                Environment =
                {
                    ["ROLE"] = "follower", ["LEADER_URL"] = "http://127.0.0.1:1", ["PORT"] = "0", ["AKKA_PORT"] = "1",
                    ["REPLICATION_TOKEN"] = "a-token-of-sixteen-or-more", ["CLUSTER_CERTIFICATE"] = TestCertificates.Cluster,
                    ["DATA_DIR"] = dataDir,
                },
            };
            using var node = Process.Start(start)!;
            var stderr = await node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            node.ExitCode.Should().Be(2);
            stderr.TrimEnd().Split('\n').Should().ContainSingle()
                .Which.Should().StartWith($"kvstore: DATA_DIR: {Path.Combine(dataDir, "kvstore.db")} is damaged").And.Contain("aside").And.NotContain(".)");
            (await File.ReadAllBytesAsync(Path.Combine(dataDir, "kvstore.db"))).Should().Equal(garbage, "a damaged file is never changed");
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

using KvPerf.Cluster;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Cluster;

/// <summary>
/// The six local nodes' start-up environment, read from what the launcher hands each process;
/// only the clean-up spec starts processes, and those are /bin/true, not KvHost.
/// </summary>
public sealed class LocalProcessClusterSpecs : IDisposable
{
    private static readonly RunSettings W5 = new(5, "received", MinDelayMs: 0, MaxDelayMs: 0);

    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData(FsyncPolicy.EverySec, "everysec")]
    [InlineData(FsyncPolicy.Always, "always")]
    public void Durable_local_cluster_gives_each_node_its_own_DATA_DIR_and_the_FSYNC_policy(FsyncPolicy fsync, string expected)
    {
        // Arrange
        var cluster = Cluster(fsync, kvHostPath: null, basePort: 9100);
        var dataRoot = _temp.File("run");

        // Act
        var nodes = cluster.NodeEnvironments(W5, dataRoot);

        // Assert
        nodes.Select(n => n.NodeId).Should().HaveCount(6).And.EndWith("leader");
        var directories = nodes.Select(n => n.Environment["DATA_DIR"]).ToArray();
        directories.Should().OnlyHaveUniqueItems();
        directories.Should().AllSatisfy(d =>
        {
            Path.IsPathFullyQualified(d!).Should().BeTrue("KvHost refuses a relative DATA_DIR");
            Path.GetDirectoryName(d).Should().Be(dataRoot);
            Path.GetFileName(d).Should().NotContain(":", "a follower's NODE_ID is host:port");
        });
        nodes.Should().AllSatisfy(n => n.Environment["FSYNC"].Should().Be(expected));
        nodes[0].Environment["DATA_DIR"].Should().Be(Path.Combine(dataRoot, "127.0.0.1-9201"));
        nodes[^1].Environment["DATA_DIR"].Should().Be(Path.Combine(dataRoot, "leader"));
    }

    [Fact]
    public void In_memory_local_cluster_removes_a_DATA_DIR_and_FSYNC_it_would_inherit()
    {
        var cluster = Cluster(fsync: null, kvHostPath: null, basePort: 9100);

        var nodes = cluster.NodeEnvironments(W5, dataRoot: null);

        // Present with no value: the launcher removes them from the inherited environment.
        nodes.Should().HaveCount(6).And.AllSatisfy(n =>
        {
            n.Environment.Should().ContainKey("DATA_DIR").WhoseValue.Should().BeNull();
            n.Environment.Should().ContainKey("FSYNC").WhoseValue.Should().BeNull();
        });
    }

    [Fact]
    public void Durable_and_in_memory_nodes_get_the_same_role_settings()
    {
        var memory = Cluster(fsync: null, kvHostPath: null, basePort: 9100).NodeEnvironments(W5, dataRoot: null);
        var durable = Cluster(FsyncPolicy.Always, kvHostPath: null, basePort: 9100).NodeEnvironments(W5, _temp.File("run"));

        var leader = durable[^1].Environment;
        leader["ROLE"].Should().Be("leader");
        leader["WRITE_QUORUM"].Should().Be("5");
        leader["FOLLOWERS"].Should().Contain("akka.ssl.tcp://kv@127.0.0.1:9201/user/store");
        durable[0].Environment["LEADER_URL"].Should().Be("http://127.0.0.1:9100");
        durable.Select(n => n.Environment.Where(v => v.Key is not ("DATA_DIR" or "FSYNC")))
            .Should().BeEquivalentTo(memory.Select(n => n.Environment.Where(v => v.Key is not ("DATA_DIR" or "FSYNC"))));
    }

    [Fact]
    public async Task Durable_local_cluster_makes_the_data_directories_before_the_nodes_start_and_deletes_them_when_they_stop()
    {
        // Arrange: /bin/true exits at once, which fails the start after the directories were made.
        var cluster = Cluster(FsyncPolicy.EverySec, kvHostPath: "/bin/true", basePort: FreePorts.Consecutive(6));

        // Act
        var start = () => cluster.StartAsync(W5, CancellationToken.None);

        // Assert
        await start.Should().ThrowAsync<InvalidOperationException>().WithMessage("*exited at start*");
        var dataRoot = cluster.DataRoot;
        dataRoot.Should().NotBeNull();
        Directory.GetDirectories(dataRoot!).Should().HaveCount(6);
        await cluster.StopRunAsync(CancellationToken.None);
        Directory.Exists(dataRoot).Should().BeFalse();
        cluster.DataRoot.Should().BeNull();
    }

    public void Dispose() => _temp.Dispose();

    private LocalProcessCluster Cluster(FsyncPolicy? fsync, string? kvHostPath, int basePort) => new(
        kvHostPath, _temp.Path, basePort, followers: 5, _temp.Path, new ScriptRunner(_temp.File("commands.log")), fsync);
}

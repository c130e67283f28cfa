using KvPerf.Cluster;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Cluster;

/// <summary>What the compose launcher hands <c>cluster.sh start</c>; nothing here runs Docker.</summary>
public sealed class ComposeClusterSpecs : IDisposable
{
    private static readonly RunSettings W5 = new(5, "received", MinDelayMs: 0, MaxDelayMs: 0);

    private readonly TempDirectory _temp = new();

    [Fact]
    public void Compose_cluster_with_an_fsync_policy_starts_its_nodes_with_that_FSYNC()
    {
        var environment = Compose(FsyncPolicy.EverySec).StartEnvironment(W5);

        environment["FSYNC"].Should().Be("everysec");
        environment["WRITE_QUORUM"].Should().Be("5");
    }

    [Fact]
    public void Compose_cluster_without_a_policy_leaves_FSYNC_to_the_compose_file()
    {
        var environment = Compose(fsync: null).StartEnvironment(W5);

        environment.Should().NotContainKey("FSYNC").And.Equal(W5.Environment);
    }

    public void Dispose() => _temp.Dispose();

    private ComposeCluster Compose(FsyncPolicy? fsync) => new(
        _temp.File("cluster.sh"), _temp.Path, followers: 5, new ScriptRunner(_temp.File("commands.log")), fsync);
}

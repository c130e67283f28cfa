using KvPerf.Restart;

namespace KvPerf.Tests.Restart;

public sealed class RestartTopologySpecs
{
    private readonly RestartTopology _topology = new(9300, "/tmp/kvrestart/keys-10", "/repo/docker/certs/cluster.pfx");

    [Fact]
    public void Every_node_is_durable_in_its_own_data_directory_with_fsync_everysec()
    {
        var environments = _topology.Nodes.Select(_topology.EnvironmentOf).ToArray();

        environments.Select(e => e["DATA_DIR"]).Should().OnlyHaveUniqueItems().And.HaveCount(6);
        environments[0]["DATA_DIR"].Should().Be("/tmp/kvrestart/keys-10/leader");
        environments[1]["DATA_DIR"].Should().Be("/tmp/kvrestart/keys-10/follower1");
        environments.Should().OnlyContain(e => e["FSYNC"] == "everysec" && e["CLUSTER_CERTIFICATE"] == "/repo/docker/certs/cluster.pfx");
    }

    [Fact]
    public void The_leader_waits_for_all_five_followers_named_by_their_actor_systems()
    {
        var leader = _topology.EnvironmentOf(_topology.Leader);

        leader["ROLE"].Should().Be("leader");
        leader["PORT"].Should().Be("9300");
        leader["AKKA_PORT"].Should().Be("9400");
        leader["WRITE_QUORUM"].Should().Be("5");
        leader["MAX_DELAY_MS"].Should().Be("0");
        leader["FOLLOWERS"].Split(',').Should().Equal(
            Enumerable.Range(1, 5).Select(n => $"akka.ssl.tcp://kv@127.0.0.1:{9400 + n}/user/store"));
    }

    [Fact]
    public void A_follower_gets_the_leader_url_and_no_write_quorum_it_would_refuse()
    {
        var follower = _topology.EnvironmentOf(_topology.Nodes[3]);

        follower["ROLE"].Should().Be("follower");
        follower["NODE_ID"].Should().Be("127.0.0.1:9403");
        follower["PORT"].Should().Be("9303");
        follower["LEADER_URL"].Should().Be("http://127.0.0.1:9300");
        follower.Should().NotContainKey("WRITE_QUORUM").And.NotContainKey("FOLLOWERS");
        _topology.Nodes[3].Name.Should().Be("follower3");
    }
}

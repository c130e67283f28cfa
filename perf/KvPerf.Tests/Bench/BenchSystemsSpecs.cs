using KvPerf.Bench;
using KvPerf.Cli;
using KvPerf.Cluster;

namespace KvPerf.Tests.Bench;

public sealed class BenchSystemsSpecs
{
    [Fact]
    public void Every_known_target_has_a_name_of_its_own_that_says_where_kvstore_keeps_its_data()
    {
        var names = BenchSettings.KnownTargets.Select(BenchSystems.Of).ToArray();

        names.Should().Equal(
            "kvstore local (memory)", "kvstore local (everysec)", "kvstore local (always)", "kvstore compose (everysec)", "redis");
    }

    [Theory]
    [InlineData("local", null)]
    [InlineData("local-everysec", FsyncPolicy.EverySec)]
    [InlineData("local-always", FsyncPolicy.Always)]
    public void Each_local_target_runs_its_nodes_with_its_own_fsync_policy(string target, FsyncPolicy? expected)
    {
        BenchSystems.LocalFsyncOf(target).Should().Be(expected);
    }

    [Theory]
    [InlineData(BenchSystems.LocalEverySec, BenchSystems.LocalMemory)]
    [InlineData(BenchSystems.LocalAlways, BenchSystems.LocalMemory)]
    [InlineData(BenchSystems.LocalMemory, null)]
    [InlineData(BenchSystems.Compose, null)]
    [InlineData(BenchSystems.Redis, null)]
    public void Only_the_durable_local_systems_are_compared_with_local_memory(string system, string? counterpart)
    {
        BenchSystems.InMemoryCounterpartOf(system).Should().Be(counterpart);
    }
}

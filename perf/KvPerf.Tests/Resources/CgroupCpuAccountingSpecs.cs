using KvPerf.Resources;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Resources;

public sealed class CgroupCpuAccountingSpecs
{
    [Fact]
    public void A_docker_container_under_cgroup_v1_is_metered_by_its_cpuacct_counter()
    {
        const string text = """
            12:pids:/docker/abc123
            4:cpu,cpuacct:/docker/abc123
            1:name=systemd:/docker/abc123
            0::/
            """;

        CgroupCpuAccounting.Candidates(text).Should().Equal(
            "/sys/fs/cgroup/cpu,cpuacct/docker/abc123/cpuacct.usage",
            "/sys/fs/cgroup/cpuacct/docker/abc123/cpuacct.usage");
    }

    [Fact]
    public void A_container_under_cgroup_v2_is_metered_by_its_cpu_stat()
    {
        CgroupCpuAccounting.Candidates("0::/system.slice/docker-abc123.scope\n").Should().Equal(
            "/sys/fs/cgroup/system.slice/docker-abc123.scope/cpu.stat",
            "/sys/fs/cgroup/unified/system.slice/docker-abc123.scope/cpu.stat");
    }

    [Fact]
    public void A_process_in_the_root_cgroup_has_no_counter_of_its_own()
    {
        // The root's counter is the whole machine's: never a node's.
        CgroupCpuAccounting.Candidates("2:cpuacct:/\n1:cpu:/\n0::/\n").Should().BeEmpty();
    }

    [Fact]
    public void Usage_is_read_from_nanoseconds_in_v1_and_microseconds_in_v2()
    {
        using var temp = new TempDirectory();
        var v1 = temp.File("cpuacct.usage");
        var v2 = temp.File("cpu.stat");
        File.WriteAllText(v1, "2500000000\n");
        File.WriteAllText(v2, "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n");

        CgroupCpuAccounting.ReadUsage(v1).Should().Be(TimeSpan.FromSeconds(2.5));
        CgroupCpuAccounting.ReadUsage(v2).Should().Be(TimeSpan.FromSeconds(1.5));
    }
}

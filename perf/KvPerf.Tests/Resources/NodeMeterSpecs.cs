using System.Diagnostics;
using KvPerf.Resources;

namespace KvPerf.Tests.Resources;

public sealed class NodeMeterSpecs
{
    private static NodeProcess Self => new("self", Environment.ProcessId, null);

    [Fact]
    public void Rss_of_a_running_process_is_read_from_proc_in_mb()
    {
        NodeMeter.ReadRssMb(Environment.ProcessId).Should().BeInRange(10, 10_000);
    }

    [Fact]
    public void Rss_of_a_process_that_is_gone_is_null()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        var pid = process.Id;
        process.Dispose();

        NodeMeter.ReadRssMb(pid).Should().BeNull();
    }

    [Fact]
    public void Cpu_time_of_a_process_grows_while_it_computes()
    {
        // Arrange
        var before = NodeMeter.ReadCpuTime(Self);

        // Act: compute until /proc shows 100 ms more, or give up after 30 s. The other test
        // assemblies run beside this one and may leave it a fraction of a core, so a fixed spin of
        // wall time may count under 100 ms of CPU.
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 30);
        var grown = TimeSpan.Zero;
        var spins = 0L;
        while (grown <= TimeSpan.FromMilliseconds(100) && Stopwatch.GetTimestamp() < deadline)
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                spins++;
            }

            grown = NodeMeter.ReadCpuTime(Self) - before;
        }

        // Assert: /proc counts in 10 ms ticks.
        grown.Should().BeGreaterThan(TimeSpan.FromMilliseconds(100), $"{spins} spins in 30 s");
    }

    [Fact]
    public async Task Cpu_of_a_sleeping_process_is_near_zero_percent_of_a_core()
    {
        using var sleeper = Process.Start("sleep", "5")!;
        try
        {
            var percent = await NodeMeter.MeasureCpuPercentAsync([new NodeProcess("sleep", sleeper.Id, null)], TimeSpan.FromMilliseconds(500), CancellationToken.None);

            percent.Should().BeInRange(0, 5);
        }
        finally
        {
            sleeper.Kill();
        }
    }
}

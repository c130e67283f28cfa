using System.CommandLine;
using KvPerf.Cli;

namespace KvPerf.Tests.Cli;

public sealed class ExperimentCommandSpecs
{
    [Fact]
    public async Task Experiment_defaults_to_100_writes_10_at_a_time_after_a_warm_up_of_100_writes_and_at_least_10_s()
    {
        var settings = await ParseAsync();

        settings.Should().NotBeNull();
        settings!.Writes.Should().Be(100);
        settings.Concurrency.Should().Be(10);
        settings.Keys.Should().Be(10);
        settings.WarmUpWrites.Should().Be(100);
        settings.WarmUpSeconds.Should().Be(10);
        settings.Quorums.Should().Equal(1, 2, 3, 4, 5);
        settings.AckModes.Should().Equal("received", "applied");
        settings.Cluster.Should().Be("compose");
        settings.ToConfig(DateTimeOffset.UnixEpoch).WarmUpSeconds.Should().Be(10, "the results file records the warm-up it had");
    }

    [Theory]
    [InlineData("--warmup-seconds", "-1")]
    [InlineData("--warmup-writes", "-1")]
    [InlineData("--cluster", "kubernetes")]
    public async Task A_value_out_of_range_is_refused_before_anything_runs(string flag, string value)
    {
        var settings = await ParseAsync(flag, value);

        settings.Should().BeNull();
    }

    private static async Task<ExperimentSettings?> ParseAsync(params string[] args)
    {
        ExperimentSettings? parsed = null;
        var root = ExperimentCommand.Create((settings, _) =>
        {
            parsed = settings;
            return Task.FromResult(0);
        });
        await root.Parse(args).InvokeAsync(new InvocationConfiguration { Error = TextWriter.Null, Output = TextWriter.Null });
        return parsed;
    }
}

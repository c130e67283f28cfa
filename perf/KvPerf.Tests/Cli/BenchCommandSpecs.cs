using System.CommandLine;
using KvPerf.Cli;

namespace KvPerf.Tests.Cli;

public sealed class BenchCommandSpecs
{
    [Fact]
    public async Task Bench_defaults_to_every_target_W_1_and_5_and_1_10_64_clients()
    {
        var settings = await ParseAsync("bench");

        settings.Should().NotBeNull();
        settings!.Targets.Should().Equal("local", "local-everysec", "local-always", "compose", "redis");
        settings.Quorums.Should().Equal(1, 5);
        settings.Clients.Should().Equal(1, 10, 64);
        settings.WarmupSeconds.Should().Be(5);
        settings.FirstWarmupSeconds.Should().Be(20);
        settings.WarmupSecondsOf(firstAfterStart: true).Should().Be(20);
        settings.WarmupSecondsOf(firstAfterStart: false).Should().Be(5);
        settings.DurationSeconds.Should().Be(10);
        settings.Keys.Should().Be(100);
        settings.IdleAfterSeconds.Should().Be(30);
        settings.IdleSeconds.Should().Be(20);
        settings.RedisBasePort.Should().Be(6390);
        settings.LocalBasePort.Should().Be(9100);
        settings.JsonPath.Should().Be(Path.Combine("results", "bench.json"));
    }

    [Fact]
    public async Task Quick_run_flags_are_read_as_comma_separated_lists()
    {
        var settings = await ParseAsync("bench", "--targets", "redis,local", "--clients", "2,4", "--quorums", "5", "--warmup", "0", "--first-warmup", "4", "--duration", "3", "--idle-after", "0", "--idle-seconds", "10");

        settings!.Targets.Should().Equal("redis", "local");
        settings.Clients.Should().Equal(2, 4);
        settings.Quorums.Should().Equal(5);
        settings.WarmupSeconds.Should().Be(0);
        settings.DurationSeconds.Should().Be(3);
        settings.IdleAfterSeconds.Should().Be(0);
        settings.MeasuringTime.Should().Be(TimeSpan.FromSeconds(2 * ((1 * ((2 * 3) + 4)) + 10)));
    }

    [Fact]
    public async Task Durable_local_targets_are_asked_for_by_name_in_any_order()
    {
        var settings = await ParseAsync("bench", "--targets", "local-always,local,local-everysec");

        settings!.Targets.Should().Equal("local-always", "local", "local-everysec");
    }

    [Theory]
    [InlineData("--targets", "mysql")]
    [InlineData("--targets", "local-no")]
    [InlineData("--quorums", "0")]
    [InlineData("--quorums", "6")]
    [InlineData("--clients", "0")]
    [InlineData("--duration", "0")]
    public async Task A_value_out_of_range_is_refused_before_anything_runs(string flag, string value)
    {
        var settings = await ParseAsync("bench", flag, value);

        settings.Should().BeNull();
    }

    private static async Task<BenchSettings?> ParseAsync(params string[] args)
    {
        BenchSettings? parsed = null;
        var root = new RootCommand();
        root.Subcommands.Add(BenchCommand.Create((settings, _) =>
        {
            parsed = settings;
            return Task.FromResult(0);
        }));
        await root.Parse(args).InvokeAsync(new InvocationConfiguration { Error = TextWriter.Null, Output = TextWriter.Null });
        return parsed;
    }
}

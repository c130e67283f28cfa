using System.CommandLine;
using KvPerf.Cli;

namespace KvPerf.Tests.Cli;

public sealed class RestartCommandSpecs
{
    [Fact]
    public async Task Restart_defaults_to_0_100k_and_1M_keys_into_results_restart_json()
    {
        var settings = await ParseAsync("restart");

        settings.Should().NotBeNull();
        settings!.Keys.Should().Equal(0, 100_000, 1_000_000);
        settings.OutputPath.Should().Be(Path.Combine("results", "restart.json"));
        settings.WorkDirectory.Should().BeNull();
        settings.KeepData.Should().BeFalse();
        settings.KvHostPath.Should().BeNull();
        settings.BasePort.Should().Be(9300);
        settings.LogTail.Should().Be(1_000);
        settings.TimeoutSeconds.Should().Be(120);
        settings.ReportOnly.Should().BeFalse();
    }

    [Fact]
    public async Task Every_flag_is_read()
    {
        var settings = await ParseAsync(
            "restart", "--keys", "5000,0", "--output", "/tmp/r/restart.json", "--work-dir", "/tmp/w", "--keep-data",
            "--kvhost-path", "/opt/KvHost", "--base-port", "9500", "--log-tail", "0", "--timeout", "30", "--report-only");

        settings!.Keys.Should().Equal(5_000, 0);
        settings.OutputPath.Should().Be("/tmp/r/restart.json");
        settings.WorkDirectory.Should().Be("/tmp/w");
        settings.KeepData.Should().BeTrue();
        settings.KvHostPath.Should().Be("/opt/KvHost");
        settings.BasePort.Should().Be(9500);
        settings.LogTail.Should().Be(0);
        settings.TimeoutSeconds.Should().Be(30);
        settings.ReportOnly.Should().BeTrue();
    }

    [Theory]
    [InlineData("--keys", "-1")]
    [InlineData("--keys", "10000001")]
    [InlineData("--keys", "many")]
    [InlineData("--timeout", "0")]
    [InlineData("--base-port", "0")]
    [InlineData("--base-port", "65500")]
    [InlineData("--log-tail", "-5")]
    public async Task A_value_out_of_range_is_refused_before_anything_runs(string flag, string value)
    {
        var settings = await ParseAsync("restart", flag, value);

        settings.Should().BeNull();
    }

    private static async Task<RestartSettings?> ParseAsync(params string[] args)
    {
        RestartSettings? parsed = null;
        var root = new RootCommand();
        root.Subcommands.Add(RestartCommand.Create((settings, _) =>
        {
            parsed = settings;
            return Task.FromResult(0);
        }));
        await root.Parse(args).InvokeAsync(new InvocationConfiguration { Error = TextWriter.Null, Output = TextWriter.Null });
        return parsed;
    }
}

using System.Text.Json;
using KvPerf.Restart;
using KvPerf.Results;
using KvPerf.Tests.TestKit;

namespace KvPerf.Tests.Restart;

public sealed class RestartReportSpecs
{
    [Fact]
    public void Table_has_a_row_per_size_with_the_slowest_follower_and_the_leader_milestones()
    {
        var text = PlainConsole.Render(RestartTable.Cases(GeneratedRestartResults.Create()));

        text.Should().Contain("followers").And.Contain("ready").And.Contain("write (W=5)").And.Contain("caught up");
        Row(text, "1,000,000").Should().Equal("1,000,000", "170.0", "5.10", "6.55", "6.80", "4.70", "4.75");
        Row(text, "0").Should().Equal("0", "0.0", "1.10", "1.85", "2.10", "0.70", "0.75");
    }

    [Fact]
    public void A_milestone_not_reached_shows_as_more_than_the_timeout()
    {
        var text = PlainConsole.Render(RestartTable.Cases(GeneratedRestartResults.Create(largestLeaderHealthyS: null, restartReached: false)));

        string.Join(' ', Row(text, "1,000,000")).Should().Be("1,000,000 170.0 5.10 > 120 > 120 > 120 > 120");
    }

    [Fact]
    public void Breakdown_says_how_long_each_node_read_its_file_and_when_the_leader_recovered()
    {
        var text = PlainConsole.Render(RestartTable.Breakdown(GeneratedRestartResults.Create()));

        // leader read, read at, recovery chose at; followers read and read at (all five alike); restarted read.
        Row(text, "1,000,000").Should().Equal("1,000,000", "3.60", "4.50", "5.00", "3.52", "4.40", "3.60");
    }

    [Fact]
    public void Breakdown_shows_the_followers_as_the_range_from_fastest_to_slowest()
    {
        var results = GeneratedRestartResults.Create();
        var largest = results.Cases[2];
        var spread = largest with
        {
            Nodes = [.. largest.Nodes.Select((n, i) => n.Role == "follower" ? n with { StorageLoadedMs = 7_800 + (i * 300), StorageLineS = 8.4 + (i * 0.3) } : n)],
        };

        var text = PlainConsole.Render(RestartTable.Breakdown(results with { Cases = [spread] }));

        Row(text, "1,000,000")[4..6].Should().Equal("8.10–9.30", "8.70–9.90");
    }

    [Fact]
    public void Verdict_says_whether_every_node_was_healthy_within_10_s_at_the_largest_size()
    {
        var met = RestartTable.Verdict(GeneratedRestartResults.Create(largestLeaderHealthyS: 6.5));
        var missed = RestartTable.Verdict(GeneratedRestartResults.Create(largestLeaderHealthyS: 12.0));
        var notReached = RestartTable.Verdict(GeneratedRestartResults.Create(restartReached: false));

        met[0].Should().Be("goal, every node healthy within 10 s of its start, at 1,000,000 keys: met");
        met[1].Should().Be("  slowest of the six 6.50 s, the follower restarted alone 4.70 s");
        missed[0].Should().EndWith("MISSED");
        notReached[0].Should().EndWith("MISSED");
        notReached[1].Should().EndWith("the follower restarted alone > 120 s");
    }

    [Fact]
    public void Slowest_follower_is_unknown_when_any_follower_was_not_healthy_in_time()
    {
        var results = GeneratedRestartResults.Create();
        var largest = results.Cases[2];
        var oneLate = largest with { Nodes = [.. largest.Nodes.Select(n => n.Node == "follower4" ? n with { HealthyS = null } : n)] };

        largest.SlowestFollowerHealthyS.Should().Be(5.1);
        oneLate.SlowestFollowerHealthyS.Should().BeNull();
        oneLate.SlowestHealthyS.Should().BeNull();
    }

    private static string[] Row(string text, string keys) =>
        text.Split('\n').Single(l => l.TrimStart().StartsWith(keys + " ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Results_file_has_machine_config_and_per_node_startups()
    {
        // Arrange
        using var temp = new TempDirectory();
        var path = temp.File("restart.json");

        // Act
        await GeneratedRestartResults.Create().WriteAsync(path, CancellationToken.None);

        // Assert
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;
        root.GetProperty("machine").GetProperty("processorCount").GetInt32().Should().Be(2);
        var config = root.GetProperty("config");
        config.GetProperty("keys").EnumerateArray().Select(k => k.GetInt32()).Should().Equal(0, 100_000, 1_000_000);
        config.GetProperty("valueExample").GetString().Should().StartWith("{\"n\":0,\"pad\":\"xxx");
        config.GetProperty("writeQuorum").GetInt32().Should().Be(5);
        config.GetProperty("fsync").GetString().Should().Be("everysec");
        config.GetProperty("healthyGoalSeconds").GetInt32().Should().Be(10);
        var largest = root.GetProperty("cases")[2];
        largest.GetProperty("keys").GetInt32().Should().Be(1_000_000);
        largest.GetProperty("dbFileMb").GetDouble().Should().Be(170);
        largest.GetProperty("slowestFollowerHealthyS").GetDouble().Should().Be(5.1);
        largest.GetProperty("leaderFirstWriteS").GetDouble().Should().Be(6.8);
        var leader = largest.GetProperty("nodes")[0];
        leader.GetProperty("node").GetString().Should().Be("leader");
        foreach (var name in new[] { "healthyS", "rssMb", "storageLoadedMs", "storageLineS", "recoveredLineS", "readyLineS" })
        {
            leader.GetProperty(name).ValueKind.Should().Be(JsonValueKind.Number, name);
        }

        largest.GetProperty("followerRestart").GetProperty("caughtUpS").GetDouble().Should().Be(4.75);
    }

    [Fact]
    public async Task Results_read_back_as_written()
    {
        using var temp = new TempDirectory();
        var path = temp.File("restart.json");
        var written = GeneratedRestartResults.Create(largestLeaderHealthyS: null);

        await written.WriteAsync(path, CancellationToken.None);
        var read = await RestartResults.ReadAsync(path, CancellationToken.None);

        JsonSerializer.Serialize(read, ResultsFile.JsonOptions).Should().Be(JsonSerializer.Serialize(written, ResultsFile.JsonOptions));
        read.Cases[2].LeaderReadyS.Should().BeNull();
    }
}

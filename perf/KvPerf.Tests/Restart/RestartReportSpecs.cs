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

        text.Should().Contain("followers healthy").And.Contain("leader ready").And.Contain("first write")
            .And.Contain("restarted healthy").And.Contain("caught up");
        var row = text.Split('\n').Single(l => l.TrimStart().StartsWith("1,000,000", StringComparison.Ordinal));
        row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("1,000,000", "170.0", "5.10", "6.55", "6.80", "4.70", "4.75");
    }

    [Fact]
    public void A_milestone_not_reached_shows_as_more_than_the_timeout()
    {
        var text = PlainConsole.Render(RestartTable.Cases(GeneratedRestartResults.Create(largestLeaderHealthyS: null, restartReached: false)));

        var row = text.Split('\n').Single(l => l.TrimStart().StartsWith("1,000,000", StringComparison.Ordinal));
        row.Should().Contain("> 120");
        row.Split("> 120").Length.Should().Be(5, "leader ready, first write, restarted healthy and caught up were not reached");
    }

    [Fact]
    public void Breakdown_says_where_the_time_went_and_whether_the_10_s_goal_held()
    {
        var met = RestartTable.Breakdown(GeneratedRestartResults.Create(largestLeaderHealthyS: 6.5));
        var missed = RestartTable.Breakdown(GeneratedRestartResults.Create(largestLeaderHealthyS: 12.0));

        met.Should().HaveCount(4);
        met[2].Should().StartWith("1,000,000 keys: leader read its file in 3,600 ms (logged at +4.50 s), recovery chose at +5.00 s, ready at +5.10 s");
        met[2].Should().Contain("followers read theirs in 3,520 ms (logged at +4.40 s)").And.Contain("follower1 alone read it in 3,600 ms");
        met[3].Should().Contain("at 1,000,000 keys: met (slowest of the six 6.50 s");
        missed[3].Should().Contain("MISSED (slowest of the six 12.00 s");
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

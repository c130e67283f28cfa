using KvHost.Tests.TestKit;

namespace KvHost.Tests.Api;

/// <summary>Every malformed request gets its 4xx problem document and changes nothing (in process, fast).</summary>
public sealed class BadInputSpecs : IAsyncLifetime
{
    private const int MaxValueBytes = 1024;
    private InProcessCluster _cluster = null!;

    public static TheoryData<MalformedRequests.Case> LeaderCases => [.. MalformedRequests.ForLeader(MaxValueBytes)];

    public static TheoryData<MalformedRequests.Case> FollowerCases => [.. MalformedRequests.ForFollower()];

    public async Task InitializeAsync()
    {
        _cluster = await InProcessCluster.StartAsync(followers: 1, writeQuorum: 1, maxValueBytes: MaxValueBytes);
        (await _cluster.PutAsync("existing", "unchanged")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [MemberData(nameof(LeaderCases))]
    public async Task Leader_answers_malformed_input_with_a_problem_document_and_changes_nothing(MalformedRequests.Case bad) =>
        await AssertRejectedAsync(_cluster.Leader, bad);

    [Theory]
    [MemberData(nameof(FollowerCases))]
    public async Task Follower_answers_malformed_input_with_a_problem_document_and_changes_nothing(MalformedRequests.Case bad) =>
        await AssertRejectedAsync(_cluster.Followers[0], bad);

    private async Task AssertRejectedAsync(Uri node, MalformedRequests.Case bad)
    {
        await _cluster.AssertConvergedAsync(TimeSpan.FromSeconds(10));
        var before = await _cluster.GetJsonAsync(node, "/kv");

        using var request = bad.ToRequest(node, InProcessCluster.Token);
        using var response = await _cluster.Http.SendAsync(request);

        await ClusterAssertions.AssertProblemAsync(response, bad.Expected);
        var after = await _cluster.GetJsonAsync(node, "/kv");
        after.GetRawText().Should().Be(before.GetRawText());
    }
}

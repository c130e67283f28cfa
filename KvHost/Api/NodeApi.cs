using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvHost.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KvHost.Api;

/// <summary>
/// <c>GET /health</c> (the compose healthcheck's probe, mapped in every environment) and
/// <c>GET /status</c> (replication progress: the leader's view of its followers, or a follower's own).
/// </summary>
public static class NodeApi
{
    /// <summary>Maps <c>/health</c>, and <c>/status</c> as this node's role reports it.</summary>
    /// <param name="app">The application.</param>
    /// <param name="settings">The node's settings: its role decides what <c>/status</c> holds.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder app, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // 503 while a restarted leader recovers, so the compose healthcheck reports it starting.
        app.MapGet("/health", (NodeActors node) => node.IsReady
            ? Results.Ok(new HealthResponse("ok", node.Settings.NodeId, node.Settings.Role.Name))
            : Outcomes.Recovering(node.Settings)).DescribeHealth();
        switch (settings.Role)
        {
            case LeaderSettings:
                app.MapGet("/status", LeaderStatusAsync).DescribeLeaderStatus();
                break;
            case FollowerSettings:
                app.MapGet("/status", FollowerStatus).DescribeFollowerStatus();
                break;
        }

        return app;
    }

    internal static async Task<IResult> LeaderStatusAsync(NodeActors node, LeaderSettings leader, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        var snapshot = node.View.Current;
        LeaderStatus status;
        try
        {
            status = await coordinator.ActorRef.Ask<LeaderStatus>(WriteCoordinatorMessages.GetStatus.Instance, TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (AskTimeoutException ex)
        {
            return Outcomes.Unavailable("the write coordinator did not answer: " + ex.Message);
        }

        var followers = status.Followers
            .Zip(leader.Followers, (f, endpoint) => new FollowerStatusResponse(f.Node, endpoint.Path.ToString(), f.State, f.AckedSeq, f.AppliedSeq, f.Lag, f.LagMs, f.LastError))
            .ToList();
        return TypedResults.Ok(new StatusResponse(
            node.Settings.NodeId, leader.Name, snapshot.Epoch, snapshot.AppliedSeq, AckModeName(node.Settings.AckMode),
            WriteQuorum: status.WriteQuorum,
            Writes: new WriteCounters(status.WritesCommitted, status.WritesNotCommitted, status.WritesInFlight),
            Followers: followers));
    }

    internal static Ok<StatusResponse> FollowerStatus(NodeActors node, FollowerSettings follower)
    {
        var snapshot = node.View.Current;
        return TypedResults.Ok(new StatusResponse(
            node.Settings.NodeId, follower.Name, snapshot.Epoch, snapshot.AppliedSeq, AckModeName(node.Settings.AckMode),
            HeldBack: node.View.HeldBackCount, LeaderUrl: follower.LeaderUrl.ToString(), CatchUp: node.CatchUp?.Progress));
    }

    private static string AckModeName(AckMode mode) => mode == AckMode.Applied ? "applied" : "received";
}

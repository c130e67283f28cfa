using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Follower;
using KvActors.Replication.Leader;
using KvHost.Hosting;

namespace KvHost.Api;

/// <summary>
/// <c>GET /health</c> (the compose healthcheck's probe, mapped in every environment) and
/// <c>GET /status</c> (replication progress).
/// </summary>
public static class NodeApi
{
    /// <summary>Maps <c>/health</c> and <c>/status</c>.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapNodeApi(this IEndpointRouteBuilder app)
    {
        // 503 while a restarted leader recovers, so the compose healthcheck reports it starting.
        app.MapGet("/health", (NodeActors node) => node.IsReady
            ? Results.Ok(new HealthResponse("ok", node.Settings.NodeId, KvApi.RoleName(node)))
            : Outcomes.Recovering(node.Settings));
        app.MapGet("/status", StatusAsync);
        return app;
    }

    internal static async Task<IResult> StatusAsync(NodeActors node, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        var settings = node.Settings;
        var snapshot = node.View.Current;
        var ackMode = settings.AckMode == AckMode.Applied ? "applied" : "received";
        if (settings.Role == NodeRole.Follower)
        {
            return TypedResults.Ok(new StatusResponse(
                settings.NodeId, "follower", snapshot.Epoch, snapshot.AppliedSeq, ackMode,
                HeldBack: node.View.HeldBackCount, LeaderUrl: settings.LeaderUrl?.ToString(), CatchUp: node.CatchUp?.Progress));
        }

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
            .Zip(settings.Followers, (f, endpoint) => new FollowerStatusResponse(f.Node, endpoint.Path.ToString(), f.State, f.AckedSeq, f.AppliedSeq, f.Lag, f.LagMs, f.LastError))
            .ToList();
        return TypedResults.Ok(new StatusResponse(
            settings.NodeId, "leader", snapshot.Epoch, snapshot.AppliedSeq, ackMode,
            WriteQuorum: status.WriteQuorum,
            Writes: new WriteCounters(status.WritesCommitted, status.WritesNotCommitted, status.WritesInFlight),
            Followers: followers));
    }
}

using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using KvActors.Replication.Leader;
using KvActors.Replication.Wire;
using KvActors.Store;
using KvHost.Hosting;

namespace KvHost.Api;

/// <summary>
/// The pull half of replication over HTTP, every endpoint behind the replication token
/// (<see cref="ReplicationAuth"/>): the catch-up fetch (<c>GET /replication/entries</c> on the leader)
/// and snapshots (<c>GET /replication/snapshot</c> on any node: the leader's for a follower's full
/// resync, a follower's for a restarted leader's recovery), which have no size bound and so do not
/// travel as Akka messages. Pushed entries travel over Akka.Remote instead. Every query is checked in
/// full before the store sees it, so a malformed request is a 4xx that changes nothing.
/// </summary>
public static class ReplicationApi
{
    /// <summary>The largest page of entries a catch-up fetch may ask for.</summary>
    private const int MaxPage = 10_000;

    /// <summary>Maps the <c>/replication</c> endpoints; only the leader serves catch-up.</summary>
    /// <param name="app">The application.</param>
    /// <param name="settings">The node's settings: its role decides what a catch-up fetch gets.</param>
    /// <returns>The same builder.</returns>
    public static IEndpointRouteBuilder MapReplicationApi(this IEndpointRouteBuilder app, NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var replication = app.MapGroup("/replication").RequireReplicationToken();
        switch (settings.Role)
        {
            case LeaderSettings:
                replication.MapGet("/entries", CatchUpAsync);
                break;
            case FollowerSettings follower:
                replication.MapGet("/entries", () => Outcomes.NotLeader(settings.NodeId, follower));
                break;
        }

        replication.MapGet("/snapshot", Snapshot);
        return app;
    }

    internal static async Task<IResult> CatchUpAsync(HttpRequest request, NodeActors node, IRequiredActor<StoreActor> store, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        if (!node.IsReady)
        {
            return Outcomes.Recovering(node.Settings);
        }

        var query = request.Query;
        if (QueryInteger(query, "epoch", 0, long.MaxValue, required: true) is not long epoch
            || QueryInteger(query, "after", 0, long.MaxValue, required: true) is not long after
            || QueryInteger(query, "limit", 1, MaxPage, required: false) is not long limit)
        {
            return Outcomes.BadRequest($"the query must be ?epoch=E&after=S[&limit=N][&node=NAME] with E and S integers from 0 to 2^63-1 and N from 1 to {MaxPage}");
        }

        var follower = query["node"].ToString();
        try
        {
            var read = await store.ActorRef.Ask<StoreMessages.LogRead>(new StoreMessages.ReadLog(epoch, after, (int)limit), TimeSpan.FromSeconds(10), cancellationToken);
            if (follower.Length is > 0 and <= 256)
            {
                coordinator.ActorRef.Tell(new WriteCoordinatorMessages.FollowerPulled(follower, epoch == read.Epoch ? after : 0, read.FullResyncRequired, read.Entries.Count));
            }

            return TypedResults.Ok(new CatchUpResponse(read.Epoch, read.LastSeq, read.FullResyncRequired, [.. read.Entries.Select(EntryDocument.From)]));
        }
        catch (AskTimeoutException ex)
        {
            return Outcomes.Unavailable("the leader's store did not answer: " + ex.Message);
        }
    }

    internal static IResult Snapshot(NodeActors node) =>
        node.IsReady
            ? TypedResults.Ok(SnapshotDocument.From(node.Settings.NodeId, node.View.Current))
            : Outcomes.Recovering(node.Settings);

    // Returns the catch-up loop's page size for an absent optional value, null for anything malformed.
    private static long? QueryInteger(IQueryCollection query, string name, long min, long max, bool required)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return required ? null : Math.Min(max, KvActors.Replication.Follower.CatchUpLoop.PageSize);
        }

        return values.Count == 1 && long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
    }
}

using Akka.Actor;
using Akka.Hosting;
using KvActors.Http;
using KvActors.Replication.Leader;
using KvActors.Replication.Wire;
using KvActors.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace KvActors.Replication.CatchUp;

/// <summary>
/// The server half of the pull protocol whose client is <see cref="CatchUpLoop"/> (and a restarted
/// leader's <see cref="LeaderRecovery"/>), every endpoint behind the replication token
/// (<see cref="ReplicationAuth"/>): the catch-up fetch (<c>GET /replication/entries</c>, the leader's
/// backlog) and snapshots (<c>GET /replication/snapshot</c>: the leader's for a follower's full resync,
/// a follower's for a restarted leader's recovery), which have no size bound and so do not travel as
/// Akka messages. Pushed entries travel over Akka.Remote instead. Every query is checked in full
/// before the store sees it, so a malformed request is a 4xx that changes nothing.
/// </summary>
/// <remarks>
/// The host maps the group, then what its role serves in it, and may filter the group after the
/// token check (a leader still recovering serves nothing yet).
/// </remarks>
public static class CatchUpServer
{
    /// <summary>The largest page of entries a catch-up fetch may ask for.</summary>
    private const int MaxPage = 10_000;

    /// <summary>Maps the <c>/replication</c> group, each of whose endpoints first checks the replication token.</summary>
    /// <param name="app">The application.</param>
    /// <param name="token"><c>REPLICATION_TOKEN</c>, the bearer token every request must carry.</param>
    /// <returns>The group, for the endpoints this node serves.</returns>
    public static RouteGroupBuilder MapReplicationGroup(this IEndpointRouteBuilder app, string token) =>
        app.MapGroup("/replication").RequireReplicationToken(token);

    /// <summary>
    /// Maps <c>GET /replication/entries?epoch=E&amp;after=S[&amp;limit=N][&amp;node=NAME]</c>: a page of
    /// the leader's backlog after <c>S</c>, or word that only a snapshot will do (<see cref="CatchUpResponse"/>).
    /// Reads the store registered as <see cref="StoreActor"/>, and tells the <see cref="WriteCoordinator"/>
    /// who pulled, for <c>/status</c>: a leader's endpoint.
    /// </summary>
    /// <param name="replication">The group from <see cref="MapReplicationGroup"/>.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapEntriesEndpoint(this RouteGroupBuilder replication) =>
        replication.MapGet("/entries", EntriesAsync);

    /// <summary>Maps <c>GET /replication/snapshot</c>: this node's whole state at one <c>seq</c> (<see cref="SnapshotDocument"/>).</summary>
    /// <param name="replication">The group from <see cref="MapReplicationGroup"/>.</param>
    /// <param name="node">This node's name, which the document carries.</param>
    /// <param name="view">What this node's store publishes; read from any thread, without entering its mailbox.</param>
    /// <returns>The endpoint.</returns>
    public static RouteHandlerBuilder MapSnapshotEndpoint(this RouteGroupBuilder replication, string node, StoreView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return replication.MapGet("/snapshot", () => TypedResults.Ok(SnapshotDocument.From(node, view.Current)));
    }

    internal static async Task<IResult> EntriesAsync(HttpRequest request, IRequiredActor<StoreActor> store, IRequiredActor<WriteCoordinator> coordinator, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (IntegerOf(query, "epoch", 0, long.MaxValue, required: true) is not long epoch
            || IntegerOf(query, "after", 0, long.MaxValue, required: true) is not long after
            || IntegerOf(query, "limit", 1, MaxPage, required: false) is not long limit)
        {
            return Problems.BadRequest($"the query must be ?epoch=E&after=S[&limit=N][&node=NAME] with E and S integers from 0 to 2^63-1 and N from 1 to {MaxPage}");
        }

        var follower = query["node"].ToString();
        try
        {
            var read = await store.ActorRef.Ask<StoreMessages.LogRead>(new StoreMessages.ReadLog(epoch, after, (int)limit), TimeSpan.FromSeconds(10), cancellationToken);
            if (follower.Length is > 0 and <= 256)
            {
                coordinator.ActorRef.Tell(new WriteCoordinatorMessages.FollowerPulled(follower, epoch == read.Epoch ? after : 0, read.FullResyncRequired, read.Entries.Count));
            }

            return TypedResults.Ok(new CatchUpResponse(read.Epoch, read.LastSeq, read.FullResyncRequired, [.. read.Entries.Select(EntryDocument.From)], read.Continues));
        }
        catch (AskTimeoutException ex)
        {
            return Problems.Unavailable("the leader's store did not answer: " + ex.Message);
        }
    }

    // Returns the catch-up loop's page size for an absent optional value, null for anything malformed.
    private static long? IntegerOf(IQueryCollection query, string name, long min, long max, bool required)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return required ? null : Math.Min(max, CatchUpLoop.PageSize);
        }

        return QueryInteger.TryParse(values, min, max, out var n) ? n : null;
    }
}

namespace KvActors.Replication.Follower;

/// <summary>How a follower names itself in its answers to the leader.</summary>
/// <param name="Node">Its node name (<c>NODE_ID</c>), as acknowledgements and <c>/status</c> give it.</param>
/// <param name="Url">
/// Its HTTP base URL as other nodes reach it (<c>http://AKKA_HOSTNAME:PORT</c>), where a recovering
/// leader fetches its snapshot.
/// </param>
public sealed record FollowerIdentity(string Node, Uri Url);

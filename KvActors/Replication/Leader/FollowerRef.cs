using Akka.Actor;

namespace KvActors.Replication.Leader;

/// <summary>A follower as the leader's actors address it.</summary>
/// <param name="Name">Its node name, for <c>/status</c> and logs.</param>
/// <param name="Ref">
/// Where a <see cref="ReplicationMessages.Replicate"/> for it goes; the answer is a
/// <see cref="ReplicationMessages.IReply"/> to the sender.
/// </param>
public sealed record FollowerRef(string Name, IActorRef Ref);

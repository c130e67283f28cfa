using Akka.Actor;

namespace KvHost.Hosting;

/// <summary>One entry of <c>FOLLOWERS</c>: a follower's store as a remote actor path.</summary>
/// <param name="Node">The follower's name in logs and <c>/status</c>: its path's host (with the port when hosts repeat, as on loopback).</param>
/// <param name="Path">The remote actor path of its store, e.g. <c>akka.ssl.tcp://kv@follower1:4053/user/store</c>.</param>
public sealed record FollowerEndpoint(string Node, ActorPath Path);

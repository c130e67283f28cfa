namespace KvHost.Tests.Compose.Faults;

/// <summary>The faults the suite injects, one at a time while writes keep coming.</summary>
public enum FaultKind
{
    /// <summary><c>compose stop</c> (SIGTERM, graceful), then <c>compose start</c>: the follower comes back empty.</summary>
    FollowerStopped,

    /// <summary><c>docker kill -s KILL</c>, then <c>compose start</c>: no shutdown at all, the follower comes back empty.</summary>
    FollowerKilled,

    /// <summary><c>docker pause</c> / <c>unpause</c>: the follower keeps its state and still accepts TCP, so requests hang rather than fail.</summary>
    FollowerPaused,

    /// <summary><c>iptables -j DROP</c> of the leader's address inside the follower's network namespace: packets vanish both ways.</summary>
    FollowerCutOff,

    /// <summary><c>docker kill -s KILL</c> of the leader, then <c>compose start leader</c>: the new leader must recover from the followers.</summary>
    LeaderKilled,
}

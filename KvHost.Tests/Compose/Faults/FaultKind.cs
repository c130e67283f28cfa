namespace KvHost.Tests.Compose.Faults;

/// <summary>The faults the suite injects, one at a time while writes keep coming.</summary>
public enum FaultKind
{
    /// <summary><c>compose stop</c> (SIGTERM, graceful), then <c>compose start</c>: the follower comes back with its disk.</summary>
    FollowerStopped,

    /// <summary><c>docker kill -s KILL</c>, then <c>compose start</c>: no shutdown at all, the follower comes back with what its disk holds.</summary>
    FollowerKilled,

    /// <summary><c>docker pause</c> / <c>unpause</c>: the follower keeps its state and still accepts TCP, so requests hang rather than fail.</summary>
    FollowerPaused,

    /// <summary><c>iptables -j DROP</c> of the leader's address inside the follower's network namespace: packets vanish both ways.</summary>
    FollowerCutOff,

    /// <summary><c>docker kill -s KILL</c> of the leader, then <c>compose start leader</c>: it recovers from its own disk, unless a follower is ahead of it.</summary>
    LeaderKilled,

    /// <summary><c>docker kill -s KILL</c> of all six containers at once, then <c>compose start</c>: every node starts from its own disk alone.</summary>
    AllKilled,
}

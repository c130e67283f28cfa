namespace KvHost.Hosting;

/// <summary>
/// The settings only a follower has (<c>ROLE=follower</c>): where its leader is, and when it fetches
/// what the leader's pushes did not bring. It applies the leader's entries in <c>seq</c> order and
/// serves reads; a write sent to it is answered 403 naming <see cref="LeaderUrl"/>.
/// </summary>
/// <param name="LeaderUrl">
/// <c>LEADER_URL</c>: the leader's HTTP base URL, which the follower fetches what it missed from and
/// names in its 403s. Required.
/// </param>
/// <param name="CatchUpAfter">
/// <c>CATCH_UP_AFTER_MS</c>: how long a gap before a held-back entry may last before the follower
/// fetches the missing entries from the leader; default 2000 ms. Shorter than that and entries merely
/// delayed by the simulated lag would be fetched twice.
/// </param>
/// <param name="AdvertisedUrl">
/// Its HTTP base URL as the other nodes reach it, <c>http://AKKA_HOSTNAME:PORT</c>: a restarted leader
/// fetches this follower's snapshot from there.
/// </param>
public sealed record FollowerSettings(Uri LeaderUrl, TimeSpan CatchUpAfter, Uri AdvertisedUrl) : RoleSettings
{
    /// <inheritdoc />
    public override string Name => "follower";
}

namespace KvHost.Tests.Compose.Faults;

/// <summary>
/// Injects one <see cref="FaultKind"/> into the compose cluster and heals it. Healing is idempotent
/// and safe to call from a <c>finally</c> whatever state injection reached, so a failed spec never
/// leaves a container stopped, paused or cut off for the specs after it.
/// </summary>
internal sealed class FaultInjection(FaultKind kind, ComposeClusterFixture cluster)
{
    /// <summary>The follower every follower fault targets; which one does not matter, they are alike.</summary>
    public const int TargetFollower = 3;

    // Each iptables rule as inserted, so healing deletes exactly those (deleting a rule never inserted fails).
    private readonly List<string[]> _rules = [];
    private bool _injected;

    /// <summary>The compose service the fault hits.</summary>
    /// <remarks>The leader for <see cref="FaultKind.AllKilled"/>: the node whose recovery the clients wait for.</remarks>
    public string Service { get; } = kind is FaultKind.LeaderKilled or FaultKind.AllKilled ? "leader" : $"follower{TargetFollower}";

    /// <summary>Returns once the fault is in place: the container stopped, dead, frozen or the rules installed.</summary>
    public async Task InjectAsync()
    {
        var container = await HostCommand.ContainerOfAsync(Service);
        _injected = true;
        switch (kind)
        {
            case FaultKind.FollowerStopped:
                await cluster.ComposeAsync("stop", Service);
                break;
            case FaultKind.FollowerKilled:
            case FaultKind.LeaderKilled:
                await HostCommand.RunAsync("docker", "kill", "-s", "KILL", container);
                break;
            case FaultKind.AllKilled:
                // One command for all six: no node outlives another by more than a process kill.
                var all = (await HostCommand.RunAsync("docker", "ps", "-q", "--filter", "label=com.docker.compose.project=" + ComposeProject))
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                await HostCommand.RunAsync("docker", ["kill", "-s", "KILL", .. all]);
                break;
            case FaultKind.FollowerPaused:
                await HostCommand.RunAsync("docker", "pause", container);
                break;
            case FaultKind.FollowerCutOff:
                await CutOffAsync(container);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown fault");
        }
    }

    /// <summary>Undoes the fault; does nothing if it was never injected or is already healed.</summary>
    public async Task HealAsync()
    {
        if (!_injected)
        {
            return;
        }

        var container = await HostCommand.ContainerOfAsync(Service);
        switch (kind)
        {
            case FaultKind.FollowerStopped:
            case FaultKind.FollowerKilled:
            case FaultKind.LeaderKilled:
                // compose start, not docker start: the same container, addresses and depends_on as compose made them.
                await cluster.ComposeAsync("start", Service);
                break;
            case FaultKind.AllKilled:
                // Every service at once: the leader recovers from the followers as they come up.
                await cluster.ComposeAsync("start");
                break;
            case FaultKind.FollowerPaused:
                if (await StateAsync(container) == "paused")
                {
                    await HostCommand.RunAsync("docker", "unpause", container);
                }

                break;
            case FaultKind.FollowerCutOff:
                foreach (var rule in _rules.ToArray())
                {
                    await HostCommand.RunAsync("nsenter", ["-t", rule[0], "-n", "iptables", "-D", .. rule[1..]]);
                    _rules.Remove(rule);
                }

                break;
        }

        _injected = false;
    }

    // scripts/cluster.sh's COMPOSE_PROJECT_NAME default, which the suite leaves in place.
    private const string ComposeProject = "kvstore";

    private static Task<string> StateAsync(string container) =>
        HostCommand.RunAsync("docker", "inspect", "-f", "{{.State.Status}}", container);

    // Both directions: the leader's entries must not arrive, and the follower's answers must not leave.
    // DROP, not REJECT: packets vanish, so the leader sees hung connections and timeouts, not refusals.
    private async Task CutOffAsync(string container)
    {
        var leaderIp = await HostCommand.RunAsync(
            "docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
            await HostCommand.ContainerOfAsync("leader"));
        var pid = await HostCommand.RunAsync("docker", "inspect", "-f", "{{.State.Pid}}", container);
        foreach (var rule in new[] { new[] { pid, "INPUT", "-s", leaderIp, "-j", "DROP" }, [pid, "OUTPUT", "-d", leaderIp, "-j", "DROP"] })
        {
            await HostCommand.RunAsync("nsenter", ["-t", rule[0], "-n", "iptables", "-I", .. rule[1..]]);
            _rules.Add(rule);
        }
    }
}

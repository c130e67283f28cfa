using System.Globalization;
using KvPerf.Resources;

namespace KvPerf.Cluster;

/// <summary>
/// Finds the compose cluster's six containers as processes of this machine: each container's
/// main process by its host PID (<c>docker inspect</c>) and its cgroup's CPU counter, which also
/// counts the healthcheck processes Docker runs in it.
/// </summary>
public sealed class ComposeNodes
{
    private readonly string _clusterScript;
    private readonly string _repositoryRoot;
    private readonly ScriptRunner _runner;

    /// <summary>Creates a finder that lists containers through <paramref name="clusterScript"/>.</summary>
    public ComposeNodes(string clusterScript, string repositoryRoot, ScriptRunner runner)
    {
        _clusterScript = clusterScript;
        _repositoryRoot = repositoryRoot;
        _runner = runner;
    }

    /// <summary>The running containers, by service name.</summary>
    /// <exception cref="InvalidOperationException">No container runs, or Docker did not answer.</exception>
    public async Task<IReadOnlyList<NodeProcess>> FindAsync(CancellationToken ct)
    {
        var ids = (await _runner.ReadOutputAsync(_clusterScript, ["compose", "ps", "-q"], _repositoryRoot, ct))
            .Where(l => l.Length > 0)
            .ToArray();
        if (ids.Length == 0)
        {
            throw new InvalidOperationException("The compose cluster has no containers.");
        }

        var lines = await _runner.ReadOutputAsync(
            "docker", ["inspect", "-f", "{{index .Config.Labels \"com.docker.compose.service\"}} {{.State.Pid}}", .. ids], _repositoryRoot, ct);
        return lines
            .Select(l => l.Split(' ', 2))
            .Where(p => p.Length == 2 && int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
            .Select(p =>
            {
                var pid = int.Parse(p[1], CultureInfo.InvariantCulture);
                return new NodeProcess(p[0], pid, CgroupCpuAccounting.Find(pid));
            })
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToArray();
    }
}

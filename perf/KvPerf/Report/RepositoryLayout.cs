namespace KvPerf.Report;

/// <summary>
/// Where the experiment's companions live in the repository: the cluster and Redis scripts. Found
/// by walking up from the working directory, then from the program's own folder, so
/// <c>dotnet run</c> from the root, a test run from its bin folder and a run from <c>perf/</c> all
/// find the same files.
/// </summary>
public sealed class RepositoryLayout
{
    private RepositoryLayout(string root)
    {
        Root = root;
    }

    /// <summary>The repository root (holds <c>perf/experiment.sh</c>).</summary>
    public string Root { get; }

    /// <summary><c>scripts/cluster.sh</c>, which builds, starts and stops the compose cluster.</summary>
    public string ClusterScript => Path.Combine(Root, "scripts", "cluster.sh");

    /// <summary><c>scripts/ensure-redis.sh</c>, which installs Debian's redis-server where missing and prints its path.</summary>
    public string EnsureRedisScript => Path.Combine(Root, "scripts", "ensure-redis.sh");

    /// <summary>Finds the layout from the working directory or the program's folder.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither lies inside the repository.</exception>
    public static RepositoryLayout Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "perf", "experiment.sh")))
                {
                    return new RepositoryLayout(dir.FullName);
                }
            }
        }

        throw new DirectoryNotFoundException(
            "Cannot find the repository (a folder holding perf/experiment.sh) above the working directory or the program.");
    }
}

using System.Globalization;

namespace KvPerf.Resources;

/// <summary>
/// Finds and reads the CPU counter of the cgroup a process runs in: a container's, which holds its
/// main process and every healthcheck process Docker starts in it. Handles cgroup v1
/// (<c>cpuacct.usage</c>, in ns) and v2 (<c>cpu.stat</c>'s <c>usage_usec</c>).
/// </summary>
public static class CgroupCpuAccounting
{
    private const string CgroupRoot = "/sys/fs/cgroup";

    /// <summary>
    /// The counter file for <paramref name="pid"/>, or <see langword="null"/> when the process sits
    /// in a root cgroup (whose counter would be the whole machine's) or no counter file exists.
    /// </summary>
    public static string? Find(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/cgroup");
        }
        catch (IOException)
        {
            return null;
        }

        return Candidates(text).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The counter files a <c>/proc/PID/cgroup</c> text points at, best first: the v1
    /// <c>cpuacct</c> hierarchy (where Docker 20.10 with cgroupfs puts containers), then the v2 one.
    /// A root path ("/") is never a candidate.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string procCgroupText)
    {
        ArgumentNullException.ThrowIfNull(procCgroupText);
        var v1 = new List<string>();
        var v2 = new List<string>();
        foreach (var line in procCgroupText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "hierarchy-id:controller,list:path"; the path itself may contain ':'.
            var parts = line.Split(':', 3);
            if (parts.Length != 3 || parts[2] is "/" or "")
            {
                continue;
            }

            var (controllers, path) = (parts[1], parts[2]);
            if (controllers.Split(',').Contains("cpuacct", StringComparer.Ordinal))
            {
                v1.Add($"{CgroupRoot}/{controllers}{path}/cpuacct.usage");
                v1.Add($"{CgroupRoot}/cpuacct{path}/cpuacct.usage");
            }
            else if (parts[0] == "0" && controllers.Length == 0)
            {
                v2.Add($"{CgroupRoot}{path}/cpu.stat");
                v2.Add($"{CgroupRoot}/unified{path}/cpu.stat");
            }
        }

        return [.. v1.Distinct(StringComparer.Ordinal), .. v2.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The CPU time the cgroup has used since it was created.</summary>
    /// <exception cref="InvalidDataException">The file holds no counter this class knows.</exception>
    public static TimeSpan ReadUsage(string counterFile)
    {
        var text = File.ReadAllText(counterFile);
        if (counterFile.EndsWith("cpuacct.usage", StringComparison.Ordinal))
        {
            return TimeSpan.FromMicroseconds(long.Parse(text.Trim(), CultureInfo.InvariantCulture) / 1000.0);
        }

        var usage = text.Split('\n')
            .Select(l => l.Split(' ', 2))
            .FirstOrDefault(p => p.Length == 2 && p[0] == "usage_usec")
            ?? throw new InvalidDataException($"{counterFile} has no usage_usec line.");
        return TimeSpan.FromMicroseconds(long.Parse(usage[1].Trim(), CultureInfo.InvariantCulture));
    }
}

namespace KvPerf.Resources;

/// <summary>
/// One node of a system under test as this machine's /proc sees it.
/// </summary>
/// <param name="Name">The node's name (<c>leader</c>, <c>follower3</c>, <c>redis-replica2</c>).</param>
/// <param name="Pid">Its main process in this machine's PID namespace (for a container, its host PID).</param>
/// <param name="CpuAccountingFile">
/// A container's cgroup CPU counter (<c>cpuacct.usage</c> or <c>cpu.stat</c>), which also counts the
/// healthcheck processes Docker starts inside it; <see langword="null"/> for a plain process, whose
/// own <c>/proc/PID/stat</c> is read instead.
/// </param>
public sealed record NodeProcess(string Name, int Pid, string? CpuAccountingFile);

namespace KvPerf.Results;

/// <summary>
/// The machine and code a benchmark ran on: client and every node share its cores, so its size
/// and load belong beside the figures.
/// </summary>
/// <param name="ProcessorCount">Cores .NET sees.</param>
/// <param name="StartedAtUtc">When the benchmark started.</param>
/// <param name="GitCommit">The checked-out commit (<c>git rev-parse HEAD</c>), or <see langword="null"/> outside git.</param>
/// <param name="GitDirty">Whether tracked files differed from that commit.</param>
/// <param name="Os">The operating system's description.</param>
/// <param name="Runtime">The .NET runtime of the client.</param>
/// <param name="RedisVersion"><c>redis-server --version</c>, when Redis was measured.</param>
/// <param name="LoadAverage1mAtStart">The 1-minute load average before the first case.</param>
public sealed record BenchMachine(
    int ProcessorCount,
    DateTimeOffset StartedAtUtc,
    string? GitCommit,
    bool? GitDirty,
    string Os,
    string Runtime,
    string? RedisVersion,
    double? LoadAverage1mAtStart);

namespace KvPerf.Results;

/// <summary>
/// The machine and code a restart measurement ran on: six nodes reading their files at once share
/// its cores and its disk, so its size and load belong beside the figures.
/// </summary>
/// <param name="ProcessorCount">Cores .NET sees.</param>
/// <param name="StartedAtUtc">When the measurement started.</param>
/// <param name="GitCommit">The checked-out commit (<c>git rev-parse HEAD</c>), or <see langword="null"/> outside git.</param>
/// <param name="GitDirty">Whether tracked files differed from that commit.</param>
/// <param name="Os">The operating system's description.</param>
/// <param name="Runtime">The .NET runtime of the measuring process.</param>
/// <param name="LoadAverage1mAtStart">The 1-minute load average before the first size.</param>
public sealed record RestartMachine(
    int ProcessorCount,
    DateTimeOffset StartedAtUtc,
    string? GitCommit,
    bool? GitDirty,
    string Os,
    string Runtime,
    double? LoadAverage1mAtStart);

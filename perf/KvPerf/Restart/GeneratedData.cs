namespace KvPerf.Restart;

/// <summary>A data file <see cref="RestartDataSet.Generate"/> wrote.</summary>
/// <param name="DatabasePath">The full path of its <c>kvstore.db</c>.</param>
/// <param name="Bytes">Its size on disk, in bytes, once closed (the WAL checkpointed into it).</param>
/// <param name="Keys">Keys it holds; also its applied seq.</param>
/// <param name="Elapsed">How long writing it took.</param>
public sealed record GeneratedData(string DatabasePath, long Bytes, int Keys, TimeSpan Elapsed)
{
    /// <summary>The size in MB (2^20 bytes), to one decimal.</summary>
    public double Megabytes => Math.Round(Bytes / 1_048_576.0, 1);
}

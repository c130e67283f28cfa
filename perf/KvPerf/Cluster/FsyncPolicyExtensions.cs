namespace KvPerf.Cluster;

/// <summary>An <see cref="FsyncPolicy"/> as a node reads it from its environment.</summary>
public static class FsyncPolicyExtensions
{
    /// <summary>The <c>FSYNC</c> value KvHost takes for <paramref name="policy"/>: <c>everysec</c> or <c>always</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined policy.</exception>
    public static string ToEnvironmentValue(this FsyncPolicy policy) => policy switch
    {
        FsyncPolicy.EverySec => "everysec",
        FsyncPolicy.Always => "always",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Not an fsync policy."),
    };
}

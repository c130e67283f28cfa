using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KvHost.Tests.TestKit;

/// <summary>
/// Certificates for specs, made once per test run the way <c>scripts/cluster-cert.sh</c> makes the
/// cluster's: self-signed, CA-flagged, for server and client authentication, in PKCS#12 files
/// without a password. <see cref="Cluster"/> is what in-process nodes share; <see cref="Impostor"/>
/// has the same subject but another key, as a process that is not part of the cluster would.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"kvstore-test-certs-{Environment.ProcessId}");
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    });

    private static readonly Lazy<string> ClusterPath = new(() => Write("cluster"));
    private static readonly Lazy<string> ImpostorPath = new(() => Write("impostor"));

    /// <summary>The in-process cluster's certificate file (<c>CLUSTER_CERTIFICATE</c>).</summary>
    public static string Cluster => ClusterPath.Value;

    /// <summary>Another certificate with the same subject: not the cluster's.</summary>
    public static string Impostor => ImpostorPath.Value;

    private static string Write(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kvstore-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(Directory.Value, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx));
        return path;
    }
}

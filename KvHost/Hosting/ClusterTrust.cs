using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace KvHost.Hosting;

/// <summary>
/// Who may talk to this node's actor system: a peer whose TLS certificate chains to the cluster's
/// certificate (<c>CLUSTER_CERTIFICATE</c>), and nobody else, whatever the machine's own roots trust.
/// </summary>
/// <remarks>
/// Full chain validation (signatures, validity period, usage) with the cluster certificate as the one
/// trusted root (<see cref="X509ChainTrustMode.CustomRootTrust"/>), on both ends of every connection
/// (mutual TLS). Akka.Remote has no shared-secret setting; this is how only the cluster replicates.
/// </remarks>
public static class ClusterTrust
{
    /// <summary>The validator Akka.Remote calls for every peer certificate, inbound and outbound.</summary>
    /// <param name="cluster">The cluster's certificate: the only trusted root.</param>
    /// <returns>A callback that accepts a certificate only if it chains to <paramref name="cluster"/>.</returns>
    public static CertificateValidationCallback Validator(X509Certificate2 cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);

        // Only the public part is trusted; the private key stays with this node's own TLS identity.
        var root = X509CertificateLoader.LoadCertificate(cluster.RawData);
        return (certificate, _, peer, errors, log) =>
        {
            if (certificate is null)
            {
                log.Warning("Refused {0}: it presented no certificate", peer);
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);

            // A private cluster root publishes no revocation list; rotating the certificate revokes.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var trusted = chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span);
            if (!trusted)
            {
                var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
                log.Warning("Refused {0}: its certificate {1} does not chain to the cluster certificate ({2}; TLS said {3})", peer, certificate.Subject, why.Length > 0 ? why : "another root", errors);
            }

            return trusted;
        };
    }
}

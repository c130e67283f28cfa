using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using KvActors.Replication;
using KvActors.Store;
using KvHost.Hosting;

namespace KvHost.Tests.TestKit;

/// <summary>
/// An actor system that speaks the replication protocol to real nodes over Akka.Remote, the way a
/// leader does: what a spec uses to deliver an entry a dead leader left behind, or to try forging one.
/// It presents the certificate it is given, so with anything but the cluster's it is refused.
/// </summary>
public sealed class RemoteReplicator : IAsyncDisposable
{
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(2);

    private readonly ActorSystem _system;

    /// <summary>Starts the system on a free loopback port.</summary>
    /// <param name="certificatePath">The PKCS#12 file it presents and trusts (the cluster's, or an impostor's).</param>
    public RemoteReplicator(string certificatePath)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, null, X509KeyStorageFlags.Exportable);
        var config = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, enable-ssl = true }
            """).WithFallback(KvNode.AkkaConfig);
        var ssl = new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false, ClusterTrust.Validator(certificate));
        _system = ActorSystem.Create(NodeSettings.ActorSystemName, ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), ssl));
    }

    /// <summary>
    /// Sends <paramref name="entry"/> to the store at <paramref name="store"/> and waits for its answer,
    /// sending it again every 2 s without one, as a leader's write tracker does: Akka.Remote delivers
    /// at most once, and the first message to a node is dropped when the association's handshake
    /// misses its timeout (1 s in <c>akka.hocon</c>, easily missed by a cold system on a busy machine).
    /// The protocol makes that safe: a follower acknowledges a copy it holds without applying it twice.
    /// </summary>
    /// <param name="store">The remote store's path.</param>
    /// <param name="entry">The entry to replicate.</param>
    /// <param name="timeout">How long to keep trying in all; 10 s by default.</param>
    /// <returns>The store's <see cref="ReplicationMessages.IReply"/>.</returns>
    /// <exception cref="AskTimeoutException">No answer within <paramref name="timeout"/>: refused at the handshake, or dropped every time.</exception>
    public async Task<ReplicationMessages.IReply> ReplicateAsync(ActorPath store, LogEntry entry, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        var target = Resolve(store);
        while (true)
        {
            var attempt = TimeSpan.FromTicks(Math.Min(ResendAfter.Ticks, (deadline - DateTime.UtcNow).Ticks));
            try
            {
                return await target.Ask<ReplicationMessages.IReply>(new ReplicationMessages.Replicate(entry), attempt);
            }
            catch (AskTimeoutException) when (DateTime.UtcNow < deadline - TimeSpan.FromMilliseconds(50))
            {
            }
        }
    }

    /// <summary>Completes when this system has terminated.</summary>
    public Task WhenTerminated => _system.WhenTerminated;

    public async ValueTask DisposeAsync() => await _system.Terminate();

    private IActorRef Resolve(ActorPath path) => ((ExtendedActorSystem)_system).Provider.ResolveActorRef(path);
}

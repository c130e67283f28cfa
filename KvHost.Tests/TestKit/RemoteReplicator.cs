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

    /// <summary>Sends <paramref name="entry"/> to the store at <paramref name="store"/> and waits for its answer.</summary>
    /// <returns>The store's <see cref="ReplicationMessages.IReply"/>.</returns>
    /// <exception cref="AskTimeoutException">No answer: refused at the handshake, or dropped.</exception>
    public Task<ReplicationMessages.IReply> ReplicateAsync(ActorPath store, LogEntry entry, TimeSpan? timeout = null) =>
        Resolve(store).Ask<ReplicationMessages.IReply>(new ReplicationMessages.Replicate(entry), timeout ?? TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync() => await _system.Terminate();

    private IActorRef Resolve(ActorPath path) => ((ExtendedActorSystem)_system).Provider.ResolveActorRef(path);
}
